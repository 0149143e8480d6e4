using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.IntegrationTests.Infrastructure.Sdk;

namespace McpGateway.IntegrationTests.Mcp.Sdk;

/// <summary>
/// The upstream session's standalone SSE stream against a server built with the SDK that announces nothing it would
/// send unasked: the gateway never opens it, and the session's requests work without it.
/// </summary>
[Collection(nameof(SdkStackCollection))]
public sealed class SdkStandaloneStreamTests(SdkStack stack)
{
    [Fact]
    public async Task A_server_that_announces_no_unasked_traffic_never_gets_a_standalone_get()
    {
        await using var server = await SdkMcpServer.StartAsync(stack.Provider, announcesListChanged: false);
        await using var session = await SignedInGateway.StartAsync(stack.Settings(server.McpUrl), "sdk-quiet");
        var (client, _) = await session.ConnectAsync();
        await using (client)
        {
            Assert.NotEqual(true, client.ServerCapabilities.Tools?.ListChanged);
            Assert.Null(client.ServerCapabilities.Logging);
            Assert.Equal("sdk-quiet", ToolText.Of(await client.CallToolAsync("whoami", cancellationToken: TestContext.Current.CancellationToken)));
            Assert.Equal("Echo: still", ToolText.Of(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "still" }, cancellationToken: TestContext.Current.CancellationToken)));
        }

        var methods = server.Audit.For("sdk-quiet").Select(entry => entry.Method).ToList();
        Assert.Contains("POST", methods);
        Assert.DoesNotContain("GET", methods);
    }

    [Fact]
    public async Task A_server_that_announces_tool_list_changes_gets_the_standalone_stream()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-listening");
        var (client, _) = await session.ConnectAsync();
        await using (client)
        {
            Assert.True(client.ServerCapabilities.Tools?.ListChanged);
            Assert.Equal("sdk-listening", ToolText.Of(await client.CallToolAsync("whoami", cancellationToken: TestContext.Current.CancellationToken)));
            await GatewayAssertions.EventuallyAsync(
                () => Task.FromResult(stack.Http.Audit.For("sdk-listening").Any(entry => entry.Method == "GET")), TimeSpan.FromSeconds(10), "the gateway opened the standalone stream");
        }
    }
}
