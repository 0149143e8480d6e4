using System.Net.WebSockets;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// One Streamable HTTP MCP session: the id the gateway issued (held only as its SHA-256), the
/// signed-in session it belongs to, the negotiated revision, and the bridge that runs it.
/// </summary>
internal sealed class McpHttpSession(string key, string ownerKey, McpBridge bridge, HttpBrowserTransport transport)
{
    /// <summary>SHA-256 of the <c>Mcp-Session-Id</c>: what the gateway keeps and logs nothing of.</summary>
    public string Key { get; } = key;

    /// <summary>The owner's <see cref="Sessions.SessionId.StorageKey"/>: another session's cookie does not open it.</summary>
    public string OwnerKey { get; } = ownerKey;

    public McpBridge Bridge { get; } = bridge;

    public HttpBrowserTransport Transport { get; } = transport;

    /// <summary>The revision the initialize negotiated; until then the one the client asked for.</summary>
    public string? ProtocolVersion { get; set; }

    public Task Running { get; set; } = Task.CompletedTask;

    /// <summary>Set before its binding is deleted: nothing stores the binding again after that.</summary>
    public bool Ending { get; set; }

    /// <summary>Ends the session (DELETE, or a failed initialize): its upstream session ends too.</summary>
    public async Task EndAsync(string reason)
    {
        await Bridge.CloseAsync(WebSocketCloseStatus.NormalClosure, reason);
        await Running;
    }
}
