using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Rest;

// The shape of GET /api/tools as the API document describes it (the endpoint writes it with the MCP SDK's serializer).

/// <summary>The merged tools, and whether the upstream's part could be listed.</summary>
internal sealed record ToolListDocument(
    [property: JsonPropertyName("tools")] IReadOnlyList<Tool> Tools,
    [property: JsonPropertyName("upstream")] UpstreamStatusDocument Upstream);

/// <summary><c>status</c> is <c>ok</c>, or <c>unavailable</c> with a <c>detail</c>; the gateway's own tools are listed either way.</summary>
internal sealed record UpstreamStatusDocument(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("detail")] string? Detail);
