using System.Text.Json.Serialization;
using McpGateway.Auth.ClientAuthentication;

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

    /// <summary>RFC 6749 §5.1 <c>token_type</c>: <c>DPoP</c> for a sender-constrained token (RFC 9449 §5), else <c>Bearer</c> (or absent).</summary>
    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }

    /// <summary>The session's DPoP key pair (RFC 9449), kept only here, inside the encrypted token set; null for bearer sessions.</summary>
    [JsonPropertyName("dpop_key")]
    public ClientSigningKey? DpopKey { get; init; }

    /// <summary>Whether the access token is bound to <see cref="DpopKey"/>: it is sent as <c>Authorization: DPoP</c> with a proof.</summary>
    public bool IsDpopBound => DpopKey is not null && string.Equals(TokenType, "DPoP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>Authorization</c> scheme the access token is sent with.</summary>
    public string AuthorizationScheme => IsDpopBound ? "DPoP" : "Bearer";

    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => AccessTokenExpiresAt - margin <= now;
}
