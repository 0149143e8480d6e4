using System.Net.WebSockets;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>
/// The browser side of a bridge, at the level of JSON-RPC messages: the WebSocket
/// (<see cref="WebSocketBrowserTransport"/>) or a Streamable HTTP session
/// (<see cref="StreamableHttp.HttpBrowserTransport"/>). <see cref="McpBridge"/> speaks only to this.
/// </summary>
internal interface IBrowserTransport
{
    /// <summary>What the bridge runs over, e.g. for the per-user limits: <c>websocket</c> or <c>streamable-http</c>.</summary>
    string Kind { get; }

    /// <summary>Set once the transport closed, with the reason.</summary>
    (WebSocketCloseStatus Status, string Reason)? Closed { get; }

    /// <summary>
    /// Delivers the browser's messages until the transport closes. Input that is not a message gets
    /// <paramref name="onUndecodable"/> with the JSON-RPC error to answer.
    /// </summary>
    Task ReceiveAsync(Func<JsonRpcMessage, ValueTask> onMessage, Func<JsonRpcError, ValueTask> onUndecodable, CancellationToken cancellationToken);

    /// <summary>Queues a message for the browser.</summary>
    ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken);

    /// <summary>Runs whatever the transport needs to deliver what was queued, until it closes.</summary>
    Task SendLoopAsync(CancellationToken cancellationToken);

    /// <summary>Closes once, with the reason; later calls do nothing.</summary>
    Task CloseAsync(WebSocketCloseStatus status, string reason);
}
