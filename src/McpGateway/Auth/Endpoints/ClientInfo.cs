using System.Text.Json.Serialization;

namespace McpGateway.Auth.Endpoints;

/// <summary>The answer of <c>GET /auth/client</c>: the gateway's registration without its secrets.</summary>
internal sealed record ClientInfo
{
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    /// <summary><c>dynamic</c> (RFC 7591) or <c>preconfigured</c> (<c>Auth:ClientId</c>).</summary>
    [JsonPropertyName("registration")]
    public required string Registration { get; init; }

    [JsonPropertyName("client_id_issued_at")]
    public DateTimeOffset? ClientIdIssuedAt { get; init; }

    [JsonPropertyName("client_secret_expires_at")]
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    [JsonPropertyName("grant_types")]
    public required IReadOnlyList<string> GrantTypes { get; init; }

    [JsonPropertyName("token_endpoint_auth_method")]
    public required string TokenEndpointAuthMethod { get; init; }
}
