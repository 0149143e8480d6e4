using System.Text.Json.Serialization;

namespace McpGateway.Auth.Endpoints;

/// <summary>The answer of <c>POST /auth/logout</c>: where the browser goes next (the provider's end-session URL, or /).</summary>
internal sealed record LogoutResponse([property: JsonPropertyName("redirect")] string Redirect);
