namespace McpGateway.Mcp.StreamableHttp;

/// <summary>The transport's HTTP headers.</summary>
internal static class McpHttpHeaders
{
    public const string SessionId = "Mcp-Session-Id";
    public const string ProtocolVersion = "MCP-Protocol-Version";
}
