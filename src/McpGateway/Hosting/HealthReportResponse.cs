using System.Text.Json.Serialization;

namespace McpGateway.Hosting;

/// <summary>The body of <c>/healthz</c> and <c>/readyz</c>: the overall status and each check's status and reason.</summary>
internal sealed record HealthReportResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("checks")] IReadOnlyDictionary<string, HealthCheckResponse> Checks);

internal sealed record HealthCheckResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("description")] string? Description);
