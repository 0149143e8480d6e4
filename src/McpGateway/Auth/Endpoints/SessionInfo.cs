using System.Text.Json.Serialization;

namespace McpGateway.Auth.Endpoints;

/// <summary>The answer of <c>GET /auth/session</c>: who is signed in; never a token.</summary>
internal sealed record SessionInfo
{
    [JsonPropertyName("authenticated")]
    public required bool Authenticated { get; init; }

    [JsonPropertyName("sub")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subject { get; init; }

    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("email")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; init; }

    /// <summary>When the session ends unless it is used again (it slides with use, up to its absolute lifetime).</summary>
    [JsonPropertyName("expiresAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Whether the gateway holds a refresh token, i.e. can renew the access token without a new sign-in.</summary>
    [JsonPropertyName("refreshable")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Refreshable { get; init; }

    /// <summary>
    /// The latest the session can last, however it is used: the access token's expiry when there is no refresh
    /// token, otherwise the end of the absolute session lifetime.
    /// </summary>
    [JsonPropertyName("endsAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? EndsAt { get; init; }

    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonPropertyName("error_description")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorDescription { get; init; }
}
