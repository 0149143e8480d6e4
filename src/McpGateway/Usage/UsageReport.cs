using System.Text.Json.Serialization;

namespace McpGateway.Usage;

/// <summary>The answer of <c>GET /api/usage</c>.</summary>
internal sealed record UsageReport([property: JsonPropertyName("models")] IReadOnlyList<ModelUsage> Models);
