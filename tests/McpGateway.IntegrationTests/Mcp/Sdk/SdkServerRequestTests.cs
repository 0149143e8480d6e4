using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.IntegrationTests.Infrastructure.Sdk;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp.Sdk;

/// <summary>
/// What flows both ways between a browser and an SDK server through the bridge: server-to-client requests
/// (elicitation, sampling, a tools/call for a gateway tool), progress, concurrency and cancellation.
/// </summary>
[Collection(nameof(SdkStackCollection))]
public sealed class SdkServerRequestTests(SdkStack stack)
{
    [Fact]
    public async Task Elicitation_and_sampling_from_the_server_reach_the_browser_handlers_and_their_answers_reach_the_server()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-cy");
        var asked = new List<string>();
        var sampled = new List<string>();
        var handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                lock (asked)
                {
                    asked.Add(request!.Message);
                }

                return ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { ["answer"] = JsonSerializer.SerializeToElement("blue") },
                });
            },
            SamplingHandler = (request, _, _) =>
            {
                lock (sampled)
                {
                    sampled.Add(string.Join(" ", request!.Messages.SelectMany(message => message.Content.OfType<TextContentBlock>()).Select(block => block.Text)));
                }

                return ValueTask.FromResult(new CreateMessageResult
                {
                    Model = "browser-model",
                    Role = Role.Assistant,
                    StopReason = "endTurn",
                    Content = [new TextContentBlock { Text = "short and sweet" }],
                });
            },
        };

        var (client, _) = await session.ConnectAsync(handlers);
        await using (client)
        {
            var elicited = await client.CallToolAsync("ask", new Dictionary<string, object?> { ["question"] = "Favourite colour?" });
            var summarized = await client.CallToolAsync("summarize", new Dictionary<string, object?> { ["text"] = "a long story" });

            Assert.Equal("action=accept; answer=blue", Text(elicited));
            Assert.Equal("browser-model: short and sweet", Text(summarized));
        }

        Assert.Equal(["Favourite colour?"], asked);
        Assert.Equal(["Summarize: a long story"], sampled);
        var journal = stack.Http.Journal.For("sdk-cy");
        Assert.Contains(journal, e => e.Tool == "ask" && e.Detail == "action=accept; answer=blue");
        Assert.Contains(journal, e => e.Tool == "summarize" && e.Detail == "browser-model: short and sweet");
    }

    [Fact]
    public async Task A_slow_call_reports_progress_while_a_concurrent_echo_completes_before_it()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-dee");
        var progressed = new List<string>();
        var handlers = new McpClientHandlers
        {
            // Seen here rather than through the call's IProgress: the client stops reporting to that once the
            // result is in, and may still be dispatching the last notification when it arrives.
            NotificationHandlers =
            [
                new(NotificationMethods.ProgressNotification, (notification, _) =>
                {
                    var value = notification.Params!;
                    lock (progressed)
                    {
                        progressed.Add($"{value["progress"]}/{value["total"]} {value["message"]}");
                    }

                    return ValueTask.CompletedTask;
                }),
            ],
        };

        var (client, _) = await session.ConnectAsync(handlers);
        await using (client)
        {
            var slow = client.CallToolAsync("slow", new Dictionary<string, object?> { ["seconds"] = 2 }, new SynchronousProgress(_ => { })).AsTask();
            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "meanwhile" });

            Assert.False(slow.IsCompleted, "the echo waited for the slow call");
            Assert.Equal("Echo: meanwhile", Text(echo));
            Assert.Equal("slept 2s", Text(await slow));
            await GatewayAssertions.EventuallyAsync(
                () => { lock (progressed) { return Task.FromResult(progressed.Count >= 2); } }, TimeSpan.FromSeconds(5), "both progress notifications arrived");
        }

        lock (progressed)
        {
            Assert.Equal(["1/2 step 1", "2/2 step 2"], progressed);
        }
    }

    [Fact]
    public async Task Progress_notifications_reach_the_browser_before_the_result_of_their_call()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-del");
        await using var socket = await RawSocket.OpenAsync(session.Browser);
        await socket.InitializeAsync();

        await socket.SendAsync("""{"jsonrpc":"2.0","id":"call-1","method":"tools/call","params":{"name":"slow","arguments":{"seconds":2},"_meta":{"progressToken":"tok-1"}}}""");
        var frames = new List<JsonElement>();
        while (frames.Count == 0 || !frames[^1].TryGetProperty("id", out _))
        {
            frames.Add(await socket.ReceiveAsync());
        }

        Assert.Equal(3, frames.Count);
        Assert.All(frames.Take(2), frame =>
        {
            Assert.Equal("notifications/progress", frame.GetProperty("method").GetString());
            Assert.Equal("tok-1", frame.GetProperty("params").GetProperty("progressToken").GetString());
        });
        Assert.Equal([1, 2], frames.Take(2).Select(frame => frame.GetProperty("params").GetProperty("progress").GetInt32()));
        Assert.Equal("call-1", frames[2].GetProperty("id").GetString());
        Assert.Equal("slept 2s", frames[2].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Cancelling_a_slow_call_stops_it_on_the_server_and_the_socket_stays_usable()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-eve");
        using var cancel = new CancellationTokenSource();
        var firstStep = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (client, _) = await session.ConnectAsync();
        await using (client)
        {
            var slow = client.CallToolAsync("slow", new Dictionary<string, object?> { ["seconds"] = 30 },
                new SynchronousProgress(_ => firstStep.TrySetResult()), cancellationToken: cancel.Token).AsTask();
            await firstStep.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
            await GatewayAssertions.EventuallyAsync(
                () => Task.FromResult(stack.Http.Journal.Has("sdk-eve", "slow", SdkToolOutcomes.Cancelled)), TimeSpan.FromSeconds(10), "the server saw the call cancelled");

            Assert.Equal("Echo: still here", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "still here" })));
        }

        Assert.False(stack.Http.Journal.Has("sdk-eve", "slow", SdkToolOutcomes.Completed));
        Assert.Contains(stack.Http.Audit.For("sdk-eve"), entry => entry.McpMethod == "notifications/cancelled");
    }

    [Fact]
    public async Task When_the_server_calls_the_gateways_calculator_the_gateway_runs_it_answers_the_server_and_tells_the_browser()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-fay");
        var executed = new TaskCompletionSource<JsonRpcNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlers = new McpClientHandlers
        {
            NotificationHandlers =
            [
                new("notifications/gateway/tool_executed", (notification, _) =>
                {
                    executed.TrySetResult(notification);
                    return ValueTask.CompletedTask;
                }),
            ],
        };

        var (client, _) = await session.ConnectAsync(handlers);
        await using (client)
        {
            var delegated = await client.CallToolAsync("delegate", new Dictionary<string, object?> { ["expression"] = "6 * 7" });

            Assert.Equal("42", Text(delegated));
            var notification = await executed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("calculator", notification.Params!["name"]!.GetValue<string>());
            Assert.False(notification.Params["isError"]!.GetValue<bool>());
            Assert.Equal("42", notification.Params["result"]!["content"]![0]!["text"]!.GetValue<string>());
        }

        Assert.Contains(stack.Http.Journal.For("sdk-fay"), e => e.Tool == "delegate" && e.Detail == "42");
        Assert.Contains(session.Gateway.Logs.Lines, line => line.Contains("The upstream called the gateway tool calculator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_servers_tools_call_for_a_gateway_tool_is_answered_by_the_gateway_and_only_the_notification_reaches_the_browser()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-flo");
        await using var socket = await RawSocket.OpenAsync(session.Browser);
        await socket.InitializeAsync();

        await socket.SendAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"delegate","arguments":{"expression":"2 ^ 10"}}}""");
        var frames = new List<JsonElement>();
        while (frames.Count == 0 || !frames[^1].TryGetProperty("id", out _))
        {
            frames.Add(await socket.ReceiveAsync());
        }

        var notification = Assert.Single(frames, frame => frame.TryGetProperty("method", out _));
        Assert.Equal("notifications/gateway/tool_executed", notification.GetProperty("method").GetString());
        Assert.Equal("calculator", notification.GetProperty("params").GetProperty("name").GetString());
        Assert.Equal(3, frames[^1].GetProperty("id").GetInt32());
        Assert.Equal("1024", frames[^1].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    private static string Text(CallToolResult result) => ToolText.Of(result);
}
