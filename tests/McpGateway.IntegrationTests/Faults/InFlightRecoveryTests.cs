using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// Calls in flight when a replica dies: two replicas behind a round-robin balancer, sockets each running a long tool on
/// the MCP reference server (which keeps its streams' events, as the transport allows), one replica SIGKILLed midway.
/// The sockets it held reconnect to the other with their resume handle; its <c>initialize</c> answer names their call as
/// pending, and the call's answer arrives with the browser's id, read again from the server's stream (<c>Last-Event-ID</c>):
/// the call is not sent a second time.
/// </summary>
[Collection(nameof(FaultCollection))]
public sealed class InFlightRecoveryTests(FaultStack stack, ITestOutputHelper output)
{
    private const int Sockets = 6;
    private const int CallId = 77;

    [Fact]
    public async Task A_call_in_flight_on_a_killed_replica_is_answered_on_the_other_with_the_browsers_id_without_being_sent_again()
    {
        await using var replicas = await BalancedReplicas.StartAsync(stack);
        using var browser = new Browser(replicas.Balancer.BaseAddress);
        var sockets = new List<(RawSocket Socket, string Handle)>();
        try
        {
            await browser.LoginAsync("inflight");
            for (var i = 0; i < Sockets; i++)
            {
                var socket = await RawSocket.OpenAsync(browser);
                sockets.Add((socket, HandleOf(await socket.InitializeAsync())));
            }

            // Each socket starts a 4-step operation (one step a second) and sees its first progress notification.
            foreach (var (socket, _) in sockets)
            {
                await socket.SendAsync(LongCall());
            }

            foreach (var (socket, _) in sockets)
            {
                await socket.ReceiveAsync(IsProgress, TimeSpan.FromSeconds(20));
            }

            await replicas.KillAsync();

            // All sockets at once: those on the killed replica resume while their call still runs on the server, so its
            // answer is sent after the resume (the case a browser meets), not only replayed from what the server kept.
            var outcomes = await Task.WhenAll(sockets.Select(socket => AnswerAsync(browser, socket.Socket, socket.Handle, replicas)));
            foreach (var (answer, _) in outcomes)
            {
                Assert.Contains("Long running operation completed", answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
            }

            var lost = outcomes.Count(outcome => outcome.Resumed);
            output.WriteLine($"Sockets: {Sockets}; on the killed replica: {lost}, each call answered after resuming, without being sent again.");
            Assert.True(lost > 0, "no socket was on the killed replica");
            await GatewayAssertions.EventuallyAsync(
                () => Task.FromResult(replicas.SurvivorLogged("answered from its resumed upstream stream") >= lost),
                TimeSpan.FromSeconds(10), "the survivor logged each recovered call");

            var secrets = (await GatewaySecrets.CollectAsync(replicas.Survivor, [browser])).Concat(sockets.Select(socket => socket.Handle)).ToList();
            GatewaySecrets.AssertNotInLogs(replicas.Survivor, secrets);
        }
        finally
        {
            foreach (var (socket, _) in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>The call's answer on the socket, or (the socket was on the killed replica) on the socket resumed with its handle, the call not sent again.</summary>
    private async Task<(JsonElement Answer, bool Resumed)> AnswerAsync(Browser browser, RawSocket socket, string handle, BalancedReplicas replicas)
    {
        try
        {
            return (await socket.ReceiveAsync(IsAnswer, TimeSpan.FromSeconds(20)), false);
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or OperationCanceledException)
        {
            socket.Socket.Abort();
        }

        await using var resumed = await ReconnectAsync(browser, handle);
        var initialized = await resumed.InitializeAsync();
        var meta = initialized.GetProperty("result").GetProperty("_meta");
        Assert.True(meta.GetProperty("io.mcpgateway/resumed").GetBoolean(), initialized.GetRawText());
        Assert.Equal([CallId], meta.GetProperty("io.mcpgateway/pending").EnumerateArray().Select(id => id.GetInt32()));
        try
        {
            return (await resumed.ReceiveAsync(IsAnswer, TimeSpan.FromSeconds(30)), true);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine(replicas.Survivor.Logs.Text);
            throw;
        }
    }

    private static string LongCall() => JsonSerializer.Serialize(new
    {
        jsonrpc = "2.0",
        id = CallId,
        method = "tools/call",
        @params = new
        {
            name = "trigger-long-running-operation",
            arguments = new { duration = 4, steps = 4 },
            _meta = new { progressToken = "long" },
        },
    });

    private static bool IsProgress(JsonElement message)
        => message.TryGetProperty("method", out var method) && method.GetString() == "notifications/progress";

    private static bool IsAnswer(JsonElement message)
        => message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == CallId;

    private static string HandleOf(JsonElement initialized)
        => initialized.GetProperty("result").GetProperty("_meta").GetProperty("io.mcpgateway/resume").GetString()!;

    /// <summary>Through the balancer, which may still route a connection to the dead replica: the next attempt reaches the other.</summary>
    private static async Task<RawSocket> ReconnectAsync(Browser browser, string handle)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RawSocket.OpenAsync(browser, query: "?resume=" + Uri.EscapeDataString(handle));
            }
            catch (Exception ex) when (attempt < 10 && ex is WebSocketException or InvalidOperationException or OperationCanceledException)
            {
                await Task.Delay(200);
            }
        }
    }
}
