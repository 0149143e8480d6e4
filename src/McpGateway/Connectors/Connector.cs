namespace McpGateway.Connectors;

/// <summary>
/// One upstream MCP server as the gateway uses it, resolved from the configuration: <c>Upstreams:Mcp:Servers:{name}</c>,
/// or the legacy <c>Upstreams:Mcp:Url</c> as the server named <see cref="DefaultName"/> (session mode, no tool prefix).
/// </summary>
internal sealed record Connector(
    string Name,
    Uri Url,
    ConnectorAuthorization Authorization,
    string ToolPrefix,
    string Scopes,
    string ClientId,
    string ClientSecret)
{
    public const string DefaultName = "default";

    public bool IsWebSocket => Url.Scheme is "ws" or "wss";
}
