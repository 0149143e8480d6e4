namespace McpGateway.Limits;

/// <summary>The long-lived connections a user's cap counts, each kind on its own.</summary>
internal enum ConnectionKind
{
    /// <summary>Bridged WebSockets (<c>Mcp:MaxSocketsPerUser</c>).</summary>
    Socket,

    /// <summary>Standalone Streamable HTTP event streams (<c>Mcp:MaxStreamsPerUser</c>).</summary>
    EventStream,
}
