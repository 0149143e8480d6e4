namespace McpGateway.Connectors.Registration;

/// <summary>The token endpoint authentication methods a connector client uses (RFC 7591 §2).</summary>
internal static class ConnectorClientAuthMethods
{
    public const string None = "none";
    public const string SecretPost = "client_secret_post";
    public const string SecretBasic = "client_secret_basic";

    /// <summary>client_secret_post when offered; else client_secret_basic, RFC 8414's default when the list is absent.</summary>
    public static string ForRegistration(IReadOnlyList<string>? supported)
        => supported is null || !supported.Contains(SecretPost, StringComparer.Ordinal) ? SecretBasic : SecretPost;
}
