using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class ServerRequestTests(McpStack stack)
{
    [Fact]
    public async Task Sampling_and_elicitation_requests_from_the_server_reach_the_browser_and_its_answers_reach_the_server()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("olivia");
        var sampled = new List<string>();
        var elicited = new List<string>();
        var handlers = new McpClientHandlers
        {
            SamplingHandler = (request, _, _) =>
            {
                sampled.Add(string.Join(" ", request!.Messages.SelectMany(message => message.Content.OfType<TextContentBlock>()).Select(block => block.Text)));
                return ValueTask.FromResult(new CreateMessageResult
                {
                    Model = "browser-side-model",
                    Role = Role.Assistant,
                    StopReason = "endTurn",
                    Content = [new TextContentBlock { Text = "a summary from the browser" }],
                });
            },
            ElicitationHandler = (request, _) =>
            {
                elicited.Add(request!.Message);
                return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement("Olivia") } });
            },
        };

        var (client, _) = await BrowserSockets.ConnectClientAsync(browser, handlers);
        await using (client)
        {
            var sampling = await client.CallToolAsync("trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "summarize the weather", ["maxTokens"] = 20 });
            var elicitation = await client.CallToolAsync("trigger-elicitation-request", new Dictionary<string, object?>());

            Assert.Contains("summarize the weather", Assert.Single(sampled), StringComparison.Ordinal);
            Assert.Contains("browser-side-model", Text(sampling), StringComparison.Ordinal);
            Assert.Single(elicited);
            Assert.Contains("Olivia", Text(elicitation), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_slow_call_does_not_hold_up_others_and_its_progress_is_relayed()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("peggy");
        var progress = new List<ProgressNotificationValue>();

        var (client, _) = await BrowserSockets.ConnectClientAsync(browser);
        await using (client)
        {
            var slow = client.CallToolAsync("trigger-long-running-operation",
                new Dictionary<string, object?> { ["duration"] = 3, ["steps"] = 3 },
                new SynchronousProgress(value => { lock (progress) { progress.Add(value); } })).AsTask();
            var quick = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "meanwhile" });

            Assert.False(slow.IsCompleted, "the echo had to wait for the slow call");
            Assert.Equal("Echo: meanwhile", Text(quick));
            await slow;
            lock (progress)
            {
                Assert.True(progress.Count >= 2, $"{progress.Count} progress notifications arrived");
            }
        }
    }

    [Fact]
    public async Task A_socket_stays_usable_across_an_access_token_expiry_and_the_upstream_gets_the_refreshed_token()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("quentin");
        var refreshes = await stack.Provider.CountAsync("token", "refresh_token");

        var (client, _) = await BrowserSockets.ConnectClientAsync(browser);
        await using (client)
        {
            Assert.Equal("Echo: before", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "before" })));
            await stack.Front.ClearAuditAsync();
            await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds + 1));

            Assert.Equal("Echo: after", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after" })));
        }

        Assert.True(await stack.Provider.CountAsync("token", "refresh_token") > refreshes);
        var audit = await stack.Front.AuditAsync();
        Assert.Contains(audit, entry => entry.GetProperty("mcpMethod").GetString() == "tools/call");
        Assert.All(audit, entry => Assert.True(entry.GetProperty("active").GetBoolean(), entry.ToString()));
    }

    internal static string Text(CallToolResult result) => string.Join("", result.Content.OfType<TextContentBlock>().Select(block => block.Text));

    /// <summary>Reports on the caller's thread, so that the test sees every value before the call completes.</summary>
    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
