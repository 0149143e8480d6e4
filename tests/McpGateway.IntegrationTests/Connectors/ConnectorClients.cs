using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.IntegrationTests.Mcp.StreamableHttp;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>The SDK client on either browser transport of the gateway: the WebSocket (<c>mcp</c> dialect) or Streamable HTTP <c>/mcp</c>.</summary>
internal static class ConnectorClients
{
    public const string WebSocket = "websocket";
    public const string Http = "streamable-http";

    public static async Task<McpClient> ConnectAsync(Browser browser, string transport, McpClientHandlers? handlers = null)
        => transport == WebSocket
            ? (await BrowserSockets.ConnectClientAsync(browser, handlers)).Client
            : await SdkHttpClients.ConnectAsync(browser, handlers);

    public static string Text(CallToolResult result) => string.Join("", result.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
