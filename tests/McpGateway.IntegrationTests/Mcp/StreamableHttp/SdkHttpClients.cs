using McpGateway.IntegrationTests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

/// <summary>The official C# SDK client on the gateway's Streamable HTTP /mcp, carrying only the browser's cookies (no Origin, as a non-browser client).</summary>
internal static class SdkHttpClients
{
    public static Task<McpClient> ConnectAsync(Browser browser, McpClientHandlers? handlers = null)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies, UseCookies = true }) { Timeout = TimeSpan.FromSeconds(60) };
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(browser.Gateway, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp, Name = "gateway-http" },
            http,
            ownsHttpClient: true);
        return McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "sdk-over-http", Version = "1.0" },
            Handlers = handlers ?? new McpClientHandlers(),
        });
    }
}
