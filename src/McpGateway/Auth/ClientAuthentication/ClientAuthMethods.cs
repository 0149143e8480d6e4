namespace McpGateway.Auth.ClientAuthentication;

/// <summary>The values of <c>Auth:TokenEndpointAuthMethod</c> and the RFC 7591 methods they stand for.</summary>
internal static class ClientAuthMethods
{
    /// <summary><see cref="PrivateKeyJwt"/> when the authorization server advertises it with a usable algorithm, else <see cref="ClientSecretPost"/>.</summary>
    public const string Auto = "auto";

    /// <summary>RFC 7523 §2.2: a JWT signed with the client's own private key (OpenID Connect Core §9).</summary>
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>client_id and client_secret in the form body.</summary>
    public const string ClientSecretPost = "client_secret_post";

    public static readonly string[] Settings = [Auto, PrivateKeyJwt, ClientSecretPost];

    /// <summary>The signing algorithms the gateway can create keys for, most preferred first.</summary>
    public static readonly string[] SigningAlgorithms = ["ES256", "PS256", "RS256"];

    /// <summary>RFC 8414 §2: when <c>token_endpoint_auth_signing_alg_values_supported</c> is absent, RS256 is assumed.</summary>
    public const string DefaultSigningAlgorithm = "RS256";
}
