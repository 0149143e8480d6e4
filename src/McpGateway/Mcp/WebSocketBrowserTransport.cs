using System.Net.WebSockets;
using McpGateway.Mcp.Dialects;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>The browser's WebSocket as an <see cref="IBrowserTransport"/>: frames decoded and encoded by the socket's dialect.</summary>
internal sealed class WebSocketBrowserTransport(BrowserSocket socket, IMcpDialect dialect) : IBrowserTransport
{
    public const string TransportKind = "websocket";

    public string Kind => TransportKind;

    public (WebSocketCloseStatus Status, string Reason)? Closed => socket.Closed;

    public Task ReceiveAsync(Func<JsonRpcMessage, ValueTask> onMessage, Func<JsonRpcError, ValueTask> onUndecodable, CancellationToken cancellationToken)
        => socket.ReceiveAsync(
            (frame, isText) =>
            {
                if (!isText)
                {
                    return onUndecodable(JsonRpcCodec.Error(null, McpErrorCode.InvalidRequest, "Binary frames are not supported: send JSON-RPC messages as text frames."));
                }

                var message = dialect.Decode(frame, out var error);
                return message is null ? onUndecodable(error!) : onMessage(message);
            },
            cancellationToken);

    public ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken) => socket.SendAsync(dialect.Encode(message), cancellationToken);

    public Task SendLoopAsync(CancellationToken cancellationToken) => socket.SendLoopAsync(cancellationToken);

    public Task CloseAsync(WebSocketCloseStatus status, string reason) => socket.CloseAsync(status, reason);
}
