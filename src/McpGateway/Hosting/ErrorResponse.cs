using System.Text.Json.Serialization;

namespace McpGateway.Hosting;

/// <summary>The body of every error the gateway answers: <c>{error, error_description}</c> as in OAuth 2.0.</summary>
internal sealed record ErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
