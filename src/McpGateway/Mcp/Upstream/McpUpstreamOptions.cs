using McpGateway.Connectors;

namespace McpGateway.Mcp.Upstream;

/// <summary>The <c>Upstreams:Mcp</c> configuration section: the MCP server browsers reach through the bridge.</summary>
internal sealed class McpUpstreamOptions
{
    public const string SectionName = "Upstreams:Mcp";

    /// <summary>
    /// <c>http(s)://…</c> for Streamable HTTP, <c>ws(s)://…</c> for an MCP server that speaks over a
    /// WebSocket; empty: sockets reach only the gateway's own tools and contexts.
    /// </summary>
    public string Url { get; set; } = "";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    public Uri Uri => new(Url, UriKind.Absolute);

    public bool IsWebSocket => Uri.Scheme is "ws" or "wss";

    /// <summary>Further MCP servers by name (<c>Upstreams:Mcp:Servers:{name}</c>); <see cref="Url"/>, when set, is the one named <c>default</c>.</summary>
    public Dictionary<string, McpServerOptions> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>discover</c> mode: the authorization server issuers a connector may use; empty: any (with a start-up warning).</summary>
    public List<string> AllowedIssuers { get; set; } = [];
}
