using System.Text.Json.Serialization;

namespace McpGateway.Connectors.Tokens;

/// <summary>One user's tokens for one discover-mode connector; kept only in the user's session, encrypted.</summary>
internal sealed record ConnectorTokens
{
    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("expires_at")]
    public required DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    /// <summary>The authorization server and client the tokens were issued by and to (a refresh must use the same).</summary>
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    /// <summary>The RFC 8707 resource the tokens are meant for: the server's URL.</summary>
    [JsonPropertyName("resource")]
    public required string Resource { get; init; }

    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => ExpiresAt - margin <= now;
}
