using McpGateway.IntegrationTests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

[Collection(nameof(McpStackCollection))]
public sealed class StreamableHttpClientTests(McpStack stack)
{
    [Fact]
    public async Task The_SDK_client_over_streamable_http_lists_and_calls_gateway_and_upstream_tools_and_answers_the_upstreams_sampling_request()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("hana");
        await stack.Front.ClearAuditAsync();
        var sampled = new List<string>();
        var handlers = new McpClientHandlers
        {
            SamplingHandler = (request, _, _) =>
            {
                lock (sampled)
                {
                    sampled.Add(string.Join(" ", request!.Messages.SelectMany(message => message.Content.OfType<TextContentBlock>()).Select(block => block.Text)));
                }

                return ValueTask.FromResult(new CreateMessageResult
                {
                    Model = "http-client-model",
                    Role = Role.Assistant,
                    StopReason = "endTurn",
                    Content = [new TextContentBlock { Text = "sampled over http" }],
                });
            },
        };

        await using (var client = await SdkHttpClients.ConnectAsync(browser, handlers))
        {
            var tools = (await client.ListToolsAsync()).Select(tool => tool.Name).ToList();
            Assert.Equal(["calculator", "file_read", "web_search"], tools.Take(3));
            Assert.Contains("echo", tools);
            Assert.Contains("trigger-sampling-request", tools);

            var sum = await client.CallToolAsync("calculator", new Dictionary<string, object?> { ["expression"] = "2^10" });
            Assert.Equal("1024", Text(sum));

            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "over http" });
            Assert.Equal("Echo: over http", Text(echo));

            var sampling = await client.CallToolAsync("trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "summarize the tide", ["maxTokens"] = 20 });
            Assert.Contains("http-client-model", Text(sampling), StringComparison.Ordinal);
            lock (sampled)
            {
                Assert.Contains("summarize the tide", Assert.Single(sampled), StringComparison.Ordinal);
            }
        }

        var audit = await stack.Front.AuditAsync();
        Assert.Contains(audit, entry => entry.GetProperty("mcpMethod").GetString() == "tools/call");
        Assert.All(audit, entry =>
        {
            Assert.Equal("hana", entry.GetProperty("sub").GetString());
            Assert.False(entry.GetProperty("hadCookie").GetBoolean());
        });
    }

    private static string Text(CallToolResult result) => string.Join("", result.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
