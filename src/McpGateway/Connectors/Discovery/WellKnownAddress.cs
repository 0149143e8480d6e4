namespace McpGateway.Connectors.Discovery;

/// <summary>
/// Where metadata lives: the well-known segment goes between the host and the path (RFC 9728 §3.1, RFC 8414 §3.1),
/// a terminating slash of the path dropped; OpenID Connect Discovery 1.0 §4 appends it to the issuer instead.
/// </summary>
internal static class WellKnownAddress
{
    public const string ProtectedResourceSuffix = "/.well-known/oauth-protected-resource";
    public const string AuthorizationServerSuffix = "/.well-known/oauth-authorization-server";
    public const string OpenIdSuffix = "/.well-known/openid-configuration";

    /// <summary>The RFC 9728 metadata of a resource: path inserted first, then the host's root document.</summary>
    public static IReadOnlyList<Uri> ProtectedResource(Uri resource)
    {
        var inserted = Insert(resource, ProtectedResourceSuffix);
        var root = new Uri(Origin(resource) + ProtectedResourceSuffix);
        return inserted == root ? [root] : [inserted, root];
    }

    /// <summary>
    /// The order the MCP authorization specification gives for an issuer: RFC 8414 with path insertion, OpenID
    /// Connect discovery with path insertion, then OpenID Connect discovery appended to the path (issuers with a path only).
    /// </summary>
    public static IReadOnlyList<Uri> AuthorizationServer(Uri issuer)
    {
        var path = TrimmedPath(issuer);
        if (path.Length == 0)
        {
            return [new Uri(Origin(issuer) + AuthorizationServerSuffix), new Uri(Origin(issuer) + OpenIdSuffix)];
        }

        return
        [
            Insert(issuer, AuthorizationServerSuffix),
            Insert(issuer, OpenIdSuffix),
            new Uri(Origin(issuer) + path + OpenIdSuffix),
        ];
    }

    /// <summary><c>https://host/a/b/</c> + suffix → <c>https://host{suffix}/a/b</c>, with the query kept.</summary>
    public static Uri Insert(Uri address, string suffix) => new(Origin(address) + suffix + TrimmedPath(address) + address.Query);

    private static string Origin(Uri address) => address.GetLeftPart(UriPartial.Authority);

    private static string TrimmedPath(Uri address) => address.AbsolutePath.TrimEnd('/');
}
