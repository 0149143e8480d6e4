using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// Calls in flight when a replica dies: two replicas behind a round-robin balancer, sockets each running a long tool on
/// the MCP reference server (which keeps its streams' events, as the transport allows), one replica SIGKILLed midway.
/// The sockets it held reconnect to the other with their resume handle; its <c>initialize</c> answer names their calls as
/// pending, and each call's answer arrives with the browser's id, read again from the server's stream (<c>Last-Event-ID</c>):
/// no call is sent a second time. Routed, the reference server stands behind two connectors (<c>default</c> and
/// <c>two</c>), each socket runs one call on each, and both connectors give their calls the same upstream id.
/// </summary>
[Collection(nameof(FaultCollection))]
public sealed class InFlightRecoveryTests(FaultStack stack, ITestOutputHelper output)
{
    private const int Sockets = 6;
    private const string Tool = "trigger-long-running-operation";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Calls_in_flight_on_a_killed_replica_are_answered_on_the_other_with_the_browsers_ids_without_being_sent_again(bool routed)
    {
        // Default: one call to the one server. Routed: one to each connector.
        (int Id, string Tool)[] calls = routed ? [(77, Tool), (78, "two__" + Tool)] : [(77, Tool)];
        await using var replicas = await BalancedReplicas.StartAsync(stack, routed);
        using var browser = new Browser(replicas.Balancer.BaseAddress);
        var sockets = new List<(RawSocket Socket, string Handle)>();
        try
        {
            await browser.LoginAsync(routed ? "inflight-routed" : "inflight");
            for (var i = 0; i < Sockets; i++)
            {
                var socket = await RawSocket.OpenAsync(browser);
                sockets.Add((socket, HandleOf(await socket.InitializeAsync())));
            }

            // Each socket starts its 4-step operations (one step a second) and sees the first progress of each.
            foreach (var (socket, _) in sockets)
            {
                foreach (var (id, tool) in calls)
                {
                    await socket.SendAsync(LongCall(id, tool));
                }
            }

            foreach (var (socket, _) in sockets)
            {
                var progressed = new HashSet<string>(StringComparer.Ordinal);
                await socket.ReceiveAsync(message => IsProgress(message, out var token) && progressed.Add(token) && progressed.Count == calls.Length, TimeSpan.FromSeconds(20));
            }

            await replicas.KillAsync();

            // All sockets at once: those on the killed replica resume while their calls still run on the server, so the
            // answers are sent after the resume (the case a browser meets), not only replayed from what the server kept.
            var ids = calls.Select(call => call.Id).ToArray();
            var outcomes = await Task.WhenAll(sockets.Select(socket => AnswersAsync(browser, socket.Socket, socket.Handle, ids, replicas)));
            foreach (var (answers, _) in outcomes)
            {
                Assert.Equal(ids, answers.Keys.Order());
                Assert.All(answers.Values, answer => Assert.Contains("Long running operation completed",
                    answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal));
            }

            var lost = outcomes.Count(outcome => outcome.Resumed);
            output.WriteLine($"Sockets: {Sockets}, {calls.Length} call(s) each; on the killed replica: {lost}, each call answered after resuming, without being sent again.");
            Assert.True(lost > 0, "no socket was on the killed replica");
            await GatewayAssertions.EventuallyAsync(
                () => Task.FromResult(replicas.SurvivorLogged("answered from its resumed upstream stream") >= lost * calls.Length),
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

    /// <summary>
    /// The calls' answers on the socket, or (the socket was on the killed replica) on the socket resumed with its handle,
    /// whose <c>initialize</c> names them all as pending: no call is sent again.
    /// </summary>
    private async Task<(Dictionary<int, JsonElement> Answers, bool Resumed)> AnswersAsync(Browser browser, RawSocket socket, string handle, int[] ids, BalancedReplicas replicas)
    {
        var answers = new Dictionary<int, JsonElement>();
        try
        {
            await ReceiveAnswersAsync(socket, ids, answers, TimeSpan.FromSeconds(20));
            return (answers, false);
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or OperationCanceledException)
        {
            socket.Socket.Abort();
        }

        Assert.Empty(answers);
        await using var resumed = await ReconnectAsync(browser, handle);
        var initialized = await resumed.InitializeAsync();
        var meta = initialized.GetProperty("result").GetProperty("_meta");
        Assert.True(meta.GetProperty("io.mcpgateway/resumed").GetBoolean(), initialized.GetRawText());
        Assert.Equal(ids, meta.GetProperty("io.mcpgateway/pending").EnumerateArray().Select(id => id.GetInt32()).Order());
        try
        {
            await ReceiveAnswersAsync(resumed, ids, answers, TimeSpan.FromSeconds(30));
            return (answers, true);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine(replicas.Survivor.Logs.Text);
            throw;
        }
    }

    private static async Task ReceiveAnswersAsync(RawSocket socket, int[] ids, Dictionary<int, JsonElement> answers, TimeSpan timeout)
        => await socket.ReceiveAsync(message =>
        {
            if (message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && ids.Contains(id.GetInt32()))
            {
                Assert.True(answers.TryAdd(id.GetInt32(), message), $"call {id.GetInt32()} was answered twice");
            }

            return answers.Count == ids.Length;
        }, timeout);

    private static string LongCall(int id, string tool) => JsonSerializer.Serialize(new
    {
        jsonrpc = "2.0",
        id,
        method = "tools/call",
        @params = new
        {
            name = tool,
            arguments = new { duration = 4, steps = 4 },
            _meta = new { progressToken = $"long-{id}" },
        },
    });

    private static bool IsProgress(JsonElement message, out string token)
    {
        token = "";
        if (!message.TryGetProperty("method", out var method) || method.GetString() != "notifications/progress")
        {
            return false;
        }

        token = message.GetProperty("params").GetProperty("progressToken").ToString();
        return true;
    }

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
