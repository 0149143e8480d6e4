using System.Text.Json.Serialization;

namespace McpGateway.Connectors.Authorization;

/// <summary>One authorization in progress, bound to the session and connector that started it; holds the PKCE verifier, so it is stored encrypted.</summary>
internal sealed record PendingAuthorization
{
    /// <summary>The starting session's storage key (its SHA-256, never the cookie's reference).</summary>
    [JsonPropertyName("session")]
    public required string SessionKey { get; init; }

    [JsonPropertyName("connector")]
    public required string Connector { get; init; }

    [JsonPropertyName("code_verifier")]
    public required string CodeVerifier { get; init; }

    [JsonPropertyName("redirect_uri")]
    public required string RedirectUri { get; init; }

    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    [JsonPropertyName("resource")]
    public required string Resource { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    [JsonPropertyName("return_url")]
    public required string ReturnUrl { get; init; }
}
