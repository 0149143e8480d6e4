using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Rest;

// The shape of GET /api/tools as the API document describes it (the endpoint writes it with the MCP SDK's serializer).

/// <summary>The merged tools, and whether the upstream's part could be listed.</summary>
internal sealed record ToolListDocument(
    [property: JsonPropertyName("tools")] IReadOnlyList<Tool> Tools,
    [property: JsonPropertyName("upstream")] UpstreamStatusDocument Upstream);

/// <summary>
/// <c>status</c> is <c>ok</c>; <c>partial</c> (several connectors, some missing: <c>connectors</c> names them); or
/// <c>unavailable</c> with a <c>detail</c>. The gateway's own tools are listed either way.
/// </summary>
internal sealed record UpstreamStatusDocument(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("connectors")] IReadOnlyList<MissingConnectorDocument>? Connectors);

/// <summary>A connector whose tools are missing: <c>state</c> is <c>authorization_required</c> or <c>unavailable</c>.</summary>
internal sealed record MissingConnectorDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string? Reason);
