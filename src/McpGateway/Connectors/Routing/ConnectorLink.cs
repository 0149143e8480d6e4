using McpGateway.Mcp.Upstream;

namespace McpGateway.Connectors.Routing;

/// <summary>One connector's upstream link in a routed browser session, and whether that server took the browser's <c>initialize</c>.</summary>
internal sealed class ConnectorLink(Connector connector, UpstreamLink link)
{
    public Connector Connector { get; } = connector;

    public UpstreamLink Link { get; } = link;

    /// <summary>False while the server has not accepted the browser's initialize; the link then replays it on its next use.</summary>
    public bool Initialized { get; set; }
}
