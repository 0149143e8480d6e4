using System.Net.WebSockets;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>WebSockets to the gateway's /mcp as a page of its origin opens them: its Origin, its cookies.</summary>
internal static class BrowserSockets
{
    /// <summary>Opens the socket; a refused upgrade throws, with the HTTP status in <see cref="ClientWebSocket.HttpStatusCode"/>.</summary>
    public static async Task<ClientWebSocket> OpenAsync(Browser browser, string subProtocol = "mcp", string? origin = null, string? query = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(subProtocol);
        socket.Options.SetRequestHeader("Origin", origin ?? browser.Gateway.GetLeftPart(UriPartial.Authority));
        socket.Options.Cookies = browser.Cookies;
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri($"ws://{browser.Gateway.Authority}/mcp{query}"), CancellationToken.None);
        return socket;
    }

    /// <summary>An MCP client speaking through the gateway, with the given handlers (which declare sampling, elicitation, roots).</summary>
    public static async Task<(McpClient Client, WebSocketMessageTransport Transport)> ConnectClientAsync(Browser browser, McpClientHandlers? handlers = null)
    {
        var socket = await OpenAsync(browser);
        var transport = new WebSocketMessageTransport(socket);
        var client = await McpClient.CreateAsync(new ConnectedTransport(transport), new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "test-browser", Version = "1.0" },
            Handlers = handlers ?? new McpClientHandlers(),
        });
        return (client, transport);
    }

    private sealed class ConnectedTransport(ITransport transport) : IClientTransport
    {
        public string Name => "gateway-websocket";

        public Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) => Task.FromResult(transport);
    }
}
