using McpGateway.IntegrationTests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>
/// The upstream session's standalone SSE stream against server-everything, which announces logging, subscriptions and
/// list changes: the gateway opens the stream, and what the server sends unasked on it reaches the browser.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class StandaloneStreamTests(McpStack stack)
{
    [Fact]
    public async Task A_server_that_announces_logging_gets_the_standalone_stream_and_its_unasked_log_messages_reach_the_browser()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("stella");
        await stack.Front.ClearAuditAsync();

        var logged = new TaskCompletionSource<JsonRpcNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (client, _) = await BrowserSockets.ConnectClientAsync(browser);
        await using (client)
        {
            Assert.NotNull(client.ServerCapabilities.Logging);
            await using var registration = client.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (notification, _) =>
            {
                logged.TrySetResult(notification);
                return ValueTask.CompletedTask;
            });

            // The server logs every 5 s for this session, over the standalone stream only (no request is related).
            await client.CallToolAsync("toggle-simulated-logging", cancellationToken: TestContext.Current.CancellationToken);
            var message = await logged.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            Assert.NotNull(message.Params?["level"]);
            Assert.Contains("SessionId", message.Params?["data"]?.ToString(), StringComparison.Ordinal);
            await client.CallToolAsync("toggle-simulated-logging", cancellationToken: TestContext.Current.CancellationToken);
        }

        var gets = (await stack.Front.AuditAsync()).Where(entry => entry.GetProperty("method").GetString() == "GET").ToList();
        Assert.NotEmpty(gets);
        Assert.All(gets, entry => Assert.Equal("stella", entry.GetProperty("sub").GetString()));
    }
}
