using McpGateway.Connectors.Routing;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Rest;

/// <summary>The upstream tools for <c>GET /api/tools</c>, and the connectors whose tools are missing from them.</summary>
internal sealed record UpstreamToolList(IReadOnlyList<Tool> Tools, IReadOnlyList<ConnectorListing> Missing);
