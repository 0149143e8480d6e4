using System.Text.Json.Serialization;

namespace McpGateway.Sessions;

/// <summary>The OAuth tokens of one session; kept only server-side, encrypted at rest.</summary>
internal sealed record SessionTokens
{
    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("id_token")]
    public string? IdToken { get; init; }

    [JsonPropertyName("expires_at")]
    public required DateTimeOffset AccessTokenExpiresAt { get; init; }

    /// <summary>The client the tokens were issued to (a re-registration may change the current one).</summary>
    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => AccessTokenExpiresAt - margin <= now;
}
