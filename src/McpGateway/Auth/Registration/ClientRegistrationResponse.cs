using System.Text.Json.Serialization;
using McpGateway.Auth.ClientAuthentication;

namespace McpGateway.Auth.Registration;

/// <summary>The authorization server's answer to a registration, read or update (RFC 7591 §3.2.1, RFC 7592 §3).</summary>
internal sealed record ClientRegistrationResponse
{
    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    [JsonPropertyName("client_id_issued_at")]
    public long? ClientIdIssuedAt { get; init; }

    [JsonPropertyName("client_secret_expires_at")]
    public long? ClientSecretExpiresAt { get; init; }

    [JsonPropertyName("registration_access_token")]
    public string? RegistrationAccessToken { get; init; }

    [JsonPropertyName("registration_client_uri")]
    public string? RegistrationClientUri { get; init; }

    [JsonPropertyName("grant_types")]
    public IReadOnlyList<string>? GrantTypes { get; init; }

    [JsonPropertyName("token_endpoint_auth_method")]
    public string? TokenEndpointAuthMethod { get; init; }

    /// <summary>
    /// The registration as the gateway keeps it. RFC 7592 lets a read or update omit what did not
    /// change (the secret, the registration access token): those come from <paramref name="previous"/>,
    /// and so does the signing key of a private_key_jwt client unless <paramref name="signingKey"/> is a new one.
    /// </summary>
    public ClientRegistration ToRegistration(string issuer, string metadataDigest, ClientRegistration? previous = null, ClientSigningKey? signingKey = null)
    {
        if (string.IsNullOrEmpty(ClientId))
        {
            throw new ClientRegistrationException("The authorization server's registration response has no client_id.");
        }

        var same = previous?.ClientId == ClientId ? previous : null;
        var secretKept = ClientSecret is null && same is not null;
        var method = TokenEndpointAuthMethod ?? same?.TokenEndpointAuthMethod ?? ClientRegistrationRequest.AuthMethod;
        var registration = new ClientRegistration
        {
            Issuer = issuer,
            ClientId = ClientId,
            ClientSecret = ClientSecret ?? same?.ClientSecret,
            ClientIdIssuedAt = ClientIdIssuedAt is > 0 ? DateTimeOffset.FromUnixTimeSeconds(ClientIdIssuedAt.Value) : same?.ClientIdIssuedAt,
            // RFC 7591: 0 means the secret does not expire; absent alongside an omitted secret, the kept secret keeps its expiry.
            ClientSecretExpiresAt = ClientSecretExpiresAt switch
            {
                > 0 => DateTimeOffset.FromUnixTimeSeconds(ClientSecretExpiresAt.Value),
                null when secretKept => same!.ClientSecretExpiresAt,
                _ => null,
            },
            RegistrationAccessToken = RegistrationAccessToken ?? same?.RegistrationAccessToken,
            RegistrationClientUri = RegistrationClientUri ?? same?.RegistrationClientUri,
            GrantTypes = GrantTypes ?? ["authorization_code", "refresh_token"],
            TokenEndpointAuthMethod = method,
            SigningKey = method == ClientAuthMethods.PrivateKeyJwt ? signingKey ?? same?.SigningKey : null,
            MetadataDigest = metadataDigest,
        };

        // A private_key_jwt client never sends a secret, so it keeps none (e.g. the one of a client_secret_post registration it was updated from).
        return method == ClientAuthMethods.PrivateKeyJwt ? registration with { ClientSecret = null, ClientSecretExpiresAt = null } : registration;
    }
}
