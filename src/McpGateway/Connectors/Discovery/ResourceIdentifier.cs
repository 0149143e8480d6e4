namespace McpGateway.Connectors.Discovery;

/// <summary>
/// RFC 9728 §3.3: the <c>resource</c> of the protected-resource metadata must be the identifier the client used,
/// else the metadata is not the server's (an attacker's document naming another resource). Compared after URI
/// normalization only (scheme and host case, default port); path, trailing slash and query must be identical.
/// </summary>
internal static class ResourceIdentifier
{
    public static bool Matches(string? advertised, Uri server)
        => advertised is not null
           && Uri.TryCreate(advertised, UriKind.Absolute, out var resource)
           && resource.Fragment.Length == 0
           && string.Equals(resource.AbsoluteUri, server.AbsoluteUri, StringComparison.Ordinal);

    /// <summary>RFC 8414 §3.3: the metadata's issuer is the issuer it was fetched for; only a terminating slash may differ.</summary>
    public static bool SameIssuer(string? advertised, Uri issuer)
        => advertised is not null && string.Equals(advertised.TrimEnd('/'), issuer.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);
}
