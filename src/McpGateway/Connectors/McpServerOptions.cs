namespace McpGateway.Connectors;

/// <summary>One upstream MCP server, <c>Upstreams:Mcp:Servers:{name}</c>.</summary>
internal sealed class McpServerOptions
{
    /// <summary><c>http(s)://…</c> for Streamable HTTP, <c>ws(s)://…</c> for a WebSocket MCP server.</summary>
    public string Url { get; set; } = "";

    public ConnectorAuthorization Authorization { get; set; } = ConnectorAuthorization.Session;

    /// <summary>Put before each of the server's tool and prompt names; null: the server name and <c>__</c>; empty: no prefix.</summary>
    public string? ToolPrefix { get; set; }

    /// <summary><c>discover</c> mode: space-separated scopes to ask for; empty: the <c>scopes_supported</c> of the protected-resource metadata.</summary>
    public string Scopes { get; set; } = "";

    /// <summary><c>discover</c> mode: a client registered beforehand at the server's authorization server (used when it supports neither client metadata documents nor DCR).</summary>
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";
}
