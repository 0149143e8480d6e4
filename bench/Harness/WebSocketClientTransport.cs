using System.Net.WebSockets;
using McpGateway.IntegrationTests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Bench;

/// <summary>
/// The browser's side of the gateway's /mcp for the SDK's McpClient: one JSON-RPC message per text
/// frame (the integration tests' <see cref="WebSocketMessageTransport"/>, linked into this project), so
/// that the client drives the gateway exactly as it drives a Streamable HTTP server.
/// </summary>
internal sealed class WebSocketClientTransport(WebSocket socket) : IClientTransport
{
    public string Name => "bench-websocket";

    public Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) => Task.FromResult<ITransport>(new WebSocketMessageTransport(socket));

    /// <summary>Opens /mcp with the session cookie and the gateway's own Origin, as a page of the gateway would.</summary>
    public static async Task<ClientWebSocket> OpenAsync(Uri gateway, string cookieHeader, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        socket.Options.SetRequestHeader("Origin", gateway.GetLeftPart(UriPartial.Authority));
        socket.Options.SetRequestHeader("Cookie", cookieHeader);
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri($"ws://{gateway.Authority}/mcp"), cancellationToken);
        return socket;
    }
}
