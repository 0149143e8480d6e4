using System.Text.Json.Serialization;

namespace McpGateway.Auth.Endpoints;

/// <summary>The form the provider posts to <c>/auth/backchannel</c> (documentation of the body).</summary>
internal sealed record LogoutTokenForm([property: JsonPropertyName("logout_token")] string LogoutToken);
