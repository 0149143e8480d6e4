namespace McpGateway.Mcp.StreamableHttp;

/// <summary>The MCP revisions whose Streamable HTTP transport (<c>initialize</c>, <c>Mcp-Session-Id</c>) the endpoint speaks.</summary>
internal static class ProtocolVersions
{
    /// <summary>A request without <c>MCP-Protocol-Version</c> is taken to be of this revision (the spec's rule for clients that predate the header).</summary>
    public const string Assumed = "2025-03-26";

    public static readonly IReadOnlyList<string> Supported = ["2025-11-25", "2025-06-18", "2025-03-26"];

    public static bool IsSupported(string version) => Supported.Contains(version, StringComparer.Ordinal);
}
