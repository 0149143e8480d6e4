using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Dialects;

/// <summary>
/// How one browser subprotocol maps to JSON-RPC: the bridge itself only handles <see cref="JsonRpcMessage"/>s.
/// </summary>
internal interface IMcpDialect
{
    /// <summary>The WebSocket subprotocol name.</summary>
    string Name { get; }

    /// <returns>The message, or <see langword="null"/> with the <paramref name="error"/> to send back.</returns>
    JsonRpcMessage? Decode(ReadOnlyMemory<byte> frame, out JsonRpcError? error);

    byte[] Encode(JsonRpcMessage message);
}
