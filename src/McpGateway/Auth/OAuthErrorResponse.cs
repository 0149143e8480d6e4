using System.Text.Json.Serialization;

namespace McpGateway.Auth;

/// <summary>An OAuth 2.0 error answer (RFC 6749 §5.2, RFC 7591 §3.2.2).</summary>
internal sealed record OAuthErrorResponse(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? Description);
