using McpGateway.Auth.Registration;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.ClientAuthentication;

/// <summary>How the dynamically registered client authenticates at the token endpoint: the method and, for private_key_jwt, the signing algorithm.</summary>
internal sealed record ClientAuthChoice(string Method, string? SigningAlgorithm)
{
    public static readonly ClientAuthChoice SecretPost = new(ClientAuthMethods.ClientSecretPost, null);

    public bool UsesPrivateKey => Method == ClientAuthMethods.PrivateKeyJwt;

    /// <summary>Applies <c>Auth:TokenEndpointAuthMethod</c> to the authorization server's metadata (RFC 8414).</summary>
    /// <exception cref="ClientRegistrationException">private_key_jwt is required but the server does not offer it with an algorithm the gateway can use.</exception>
    public static ClientAuthChoice For(string setting, OpenIdConnectConfiguration configuration)
    {
        if (setting == ClientAuthMethods.ClientSecretPost)
        {
            return SecretPost;
        }

        var methods = configuration.TokenEndpointAuthMethodsSupported;
        var offered = methods.Contains(ClientAuthMethods.PrivateKeyJwt);
        var advertisedAlgorithms = configuration.TokenEndpointAuthSigningAlgValuesSupported;
        IEnumerable<string> algorithms = advertisedAlgorithms.Count == 0 ? [ClientAuthMethods.DefaultSigningAlgorithm] : advertisedAlgorithms;
        var algorithm = ClientAuthMethods.SigningAlgorithms.FirstOrDefault(algorithms.Contains);
        if (offered && algorithm is not null)
        {
            return new ClientAuthChoice(ClientAuthMethods.PrivateKeyJwt, algorithm);
        }

        if (setting == ClientAuthMethods.PrivateKeyJwt)
        {
            throw new ClientRegistrationException(offered
                ? $"Auth:TokenEndpointAuthMethod is private_key_jwt, but the authorization server {configuration.Issuer} signs client assertions only with {string.Join(", ", algorithms)}; the gateway needs one of {string.Join(", ", ClientAuthMethods.SigningAlgorithms)}."
                : $"Auth:TokenEndpointAuthMethod is private_key_jwt, but the authorization server {configuration.Issuer} does not list it in token_endpoint_auth_methods_supported ({string.Join(", ", methods)}). Set Auth:TokenEndpointAuthMethod to auto or client_secret_post.");
        }

        return SecretPost;
    }
}
