using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>A gateway started for one test, and a browser signed in to it as one user.</summary>
internal sealed class SignedInGateway : IAsyncDisposable
{
    private SignedInGateway(GatewayHost gateway, Browser browser, string user)
    {
        Gateway = gateway;
        Browser = browser;
        User = user;
    }

    public GatewayHost Gateway { get; }

    public Browser Browser { get; }

    public string User { get; }

    public static async Task<SignedInGateway> StartAsync(GatewaySettings settings, string user)
    {
        var gateway = GatewayHost.Start(settings);
        try
        {
            await gateway.WaitUntilReadyAsync();
            var browser = gateway.CreateBrowser();
            await browser.LoginAsync(user);
            await browser.AssertSignedInAsync(user);
            return new SignedInGateway(gateway, browser, user);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The SDK's McpClient speaking to the gateway's <c>/mcp</c> over the browser's WebSocket.
    /// <paramref name="protocolVersion"/> null is the client's default: probe <c>server/discover</c>
    /// (2026-07-28), fall back to <c>initialize</c>.
    /// </summary>
    public async Task<(McpClient Client, WebSocketMessageTransport Transport)> ConnectAsync(McpClientHandlers? handlers = null, string? protocolVersion = null)
    {
        var transport = new WebSocketMessageTransport(await BrowserSockets.OpenAsync(Browser));
        try
        {
            var client = await McpClient.CreateAsync(new OpenedTransport(transport), new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "sdk-test-browser", Version = "1.0" },
                ProtocolVersion = protocolVersion,
                Handlers = handlers ?? new McpClientHandlers(),
            });
            return (client, transport);
        }
        catch
        {
            await transport.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        await Gateway.DisposeAsync();
    }

    private sealed class OpenedTransport(ITransport transport) : IClientTransport
    {
        public string Name => "gateway-websocket";

        public Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) => Task.FromResult(transport);
    }
}
