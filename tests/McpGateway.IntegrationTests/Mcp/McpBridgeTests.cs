using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class McpBridgeTests(McpStack stack)
{
    [Fact]
    public async Task A_browser_client_lists_upstream_and_gateway_tools_and_calls_each_with_the_users_bearer_upstream()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("alice");
        await stack.Front.ClearAuditAsync();

        var (client, transport) = await BrowserSockets.ConnectClientAsync(browser);
        await using (client)
        {
            var tools = (await client.ListToolsAsync()).Select(tool => tool.Name).ToList();
            Assert.Contains("echo", tools);
            Assert.Contains("get-sum", tools);
            Assert.Equal(["calculator", "file_read", "web_search"], tools.Take(3));

            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hello upstream" });
            Assert.Equal("Echo: hello upstream", Text(echo));

            var sum = await client.CallToolAsync("calculator", new Dictionary<string, object?> { ["expression"] = "2 + 3 * (4 - 1) ^ 2" });
            Assert.Equal("29", Text(sum));
            Assert.NotEqual(true, sum.IsError);

            var file = await client.CallToolAsync("file_read", new Dictionary<string, object?> { ["path"] = "notes.txt" });
            Assert.Contains("The gateway reads this file.", Text(file), StringComparison.Ordinal);

            var search = await client.CallToolAsync("web_search", new Dictionary<string, object?> { ["query"] = "model context protocol", ["count"] = 2 });
            var results = search.StructuredContent!.Value.GetProperty("results");
            Assert.Equal(2, results.GetArrayLength());
            Assert.StartsWith("https://", results[0].GetProperty("url").GetString(), StringComparison.Ordinal);
        }

        var audit = await stack.Front.AuditAsync();
        Assert.NotEmpty(audit);
        Assert.All(audit, entry =>
        {
            Assert.True(entry.GetProperty("active").GetBoolean(), entry.ToString());
            Assert.Equal("alice", entry.GetProperty("sub").GetString());
            Assert.False(entry.GetProperty("hadCookie").GetBoolean());
        });
        Assert.Contains(audit, entry => entry.GetProperty("mcpMethod").GetString() == "tools/call");
        Assert.DoesNotContain(audit, entry => JsonSerializer.Serialize(entry).Contains("calculator", StringComparison.Ordinal));
    }

    private static string Text(CallToolResult result) => string.Join("", result.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
