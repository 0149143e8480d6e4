using System.Text.Json.Serialization;
using McpGateway.Auth.ClientAuthentication;

namespace McpGateway.Auth.Registration;

/// <summary>The gateway's OAuth client at the authorization server, as registered (RFC 7591) or configured.</summary>
internal sealed record ClientRegistration
{
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    [JsonPropertyName("client_id_issued_at")]
    public DateTimeOffset? ClientIdIssuedAt { get; init; }

    /// <summary><see langword="null"/> when the secret does not expire (RFC 7591 sends 0).</summary>
    [JsonPropertyName("client_secret_expires_at")]
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    [JsonPropertyName("registration_access_token")]
    public string? RegistrationAccessToken { get; init; }

    [JsonPropertyName("registration_client_uri")]
    public string? RegistrationClientUri { get; init; }

    [JsonPropertyName("grant_types")]
    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    [JsonPropertyName("token_endpoint_auth_method")]
    public string TokenEndpointAuthMethod { get; init; } = ClientRegistrationRequest.AuthMethod;

    /// <summary>The key of a private_key_jwt client; its private half is encrypted at rest like the secret.</summary>
    [JsonPropertyName("signing_key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClientSigningKey? SigningKey { get; init; }

    /// <summary>Whether calls to the authorization server carry a client assertion (RFC 7523) instead of the secret.</summary>
    public bool UsesPrivateKey => TokenEndpointAuthMethod == ClientAuthMethods.PrivateKeyJwt && SigningKey is not null;

    /// <summary>Digest of the metadata that was asked for; a change of configuration changes it.</summary>
    [JsonPropertyName("metadata_digest")]
    public string? MetadataDigest { get; init; }

    /// <summary>True for a client from <c>Auth:ClientId</c>: never registered, updated or deleted by the gateway.</summary>
    [JsonPropertyName("preconfigured")]
    public bool Preconfigured { get; init; }

    public bool IsManageable => RegistrationClientUri is not null && RegistrationAccessToken is not null && !Preconfigured;

    /// <summary>
    /// How long before its expiry a secret is renewed: five minutes, or a tenth of the secret's
    /// lifetime when that is shorter (so a short-lived secret is not renewed the moment it is issued).
    /// </summary>
    public TimeSpan RenewalMargin
    {
        get
        {
            var maximum = TimeSpan.FromMinutes(5);
            if (ClientSecretExpiresAt is not { } expires || ClientIdIssuedAt is not { } issued || expires <= issued)
            {
                return maximum;
            }

            var tenth = (expires - issued) / 10;
            return tenth < maximum ? tenth : maximum;
        }
    }

    public bool NeedsRenewal(DateTimeOffset now) => ClientSecretExpiresAt is { } expires && expires - RenewalMargin <= now;
}
