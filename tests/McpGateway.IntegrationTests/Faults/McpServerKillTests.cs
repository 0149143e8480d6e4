using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Hostile;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

[Collection(nameof(FaultCollection))]
public sealed class McpServerKillTests(FaultStack stack, ITestOutputHelper output)
{
    /// <summary>Far beyond the time a killed upstream may take to be noticed, so a -32001 timeout cannot pass for the error wanted.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_mcp_server_killed_mid_call_fails_that_call_with_a_json_rpc_error_the_socket_survives_and_the_next_call_reopens_the_upstream_session()
    {
        await using var everything = await NodeServer.StartEverythingAsync();
        await using var gateway = GatewayHost.Start(stack.Settings(extra: new Dictionary<string, string?>
        {
            ["Upstreams:Mcp:Url"] = new Uri(everything.BaseAddress, "/mcp").AbsoluteUri,
            ["Mcp:RequestTimeout"] = RequestTimeout.ToString(),
        }));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("killjoy");
        await using var jsonRpc = await RawSocket.OpenAsync(browser);
        await jsonRpc.InitializeAsync();
        await using var envelope = await RawSocket.OpenAsync(browser, "mcp-v1");
        await EnvelopeRequestAsync(envelope, "init", "initialize", new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "v1", version = "1" } });
        await envelope.SendAsync("""{"type":"notification","method":"notifications/initialized"}""");
        Assert.Equal("Echo: warm", Text(await jsonRpc.RequestAsync(1, "tools/call", new { name = "echo", arguments = new { message = "warm" } })));
        Assert.Equal("Echo: warm", Text(await EnvelopeRequestAsync(envelope, "w", "tool_call", new { tool_name = "echo", parameters = new { message = "warm" } })));

        // A long operation in flight on each socket, proven by its first progress notification.
        await jsonRpc.SendAsync(JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = 7, method = "tools/call",
            @params = new { name = "trigger-long-running-operation", arguments = new { duration = 60, steps = 60 }, _meta = new { progressToken = "rpc-progress" } },
        }));
        await envelope.SendAsync(JsonSerializer.Serialize(new
        {
            id = "long", type = "request", method = "tool_call",
            @params = new { tool_name = "trigger-long-running-operation", parameters = new { duration = 60, steps = 60 }, _meta = new { progressToken = "v1-progress" } },
        }));
        await jsonRpc.ReceiveAsync(IsProgress, TimeSpan.FromSeconds(15));
        await envelope.ReceiveAsync(IsProgress, TimeSpan.FromSeconds(15));

        await ProcessKiller.KillAsync(everything);
        var clock = Stopwatch.StartNew();
        var rpcFailure = await jsonRpc.ReceiveAsync(message => HasId(message, 7), TimeSpan.FromSeconds(60));
        var rpcFailedAfter = clock.Elapsed;
        var v1Failure = await envelope.ReceiveAsync(message => HasId(message, "long"), TimeSpan.FromSeconds(60));
        output.WriteLine($"The killed call failed after {rpcFailedAfter.TotalSeconds:F1} s (mcp) and {clock.Elapsed.TotalSeconds:F1} s (mcp-v1): {rpcFailure} / {v1Failure}");

        foreach (var failure in new[] { rpcFailure, v1Failure })
        {
            Assert.False(failure.TryGetProperty("result", out _), "the killed call got a result: " + failure);
            var error = failure.GetProperty("error");
            Assert.Equal(-32000, error.GetProperty("code").GetInt32());
            Assert.Null(GatewayInternals.Find(failure.GetRawText()));
        }

        Assert.Equal("response", v1Failure.GetProperty("type").GetString());
        Assert.True(clock.Elapsed < RequestTimeout / 2, $"the call failed only after {clock.Elapsed}: the gateway waited for its timeout");

        // The sockets survive: gateway tools answer, upstream calls fail cleanly while the server is down.
        Assert.Equal(WebSocketState.Open, jsonRpc.Socket.State);
        Assert.Equal(WebSocketState.Open, envelope.Socket.State);
        Assert.Equal("4", Text(await jsonRpc.RequestAsync(2, "tools/call", new { name = "calculator", arguments = new { expression = "2+2" } })));
        var whileDown = await jsonRpc.RequestAsync(3, "tools/call", new { name = "echo", arguments = new { message = "anyone?" } });
        Assert.Equal(-32000, whileDown.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Null(GatewayInternals.Find(whileDown.GetRawText()));
        Assert.Equal("4", Text(await EnvelopeRequestAsync(envelope, "c", "tool_call", new { tool_name = "calculator", parameters = new { expression = "2*2" } })));

        // The server comes back (a new process: every session is gone); the next call opens a new upstream session.
        await everything.StartAgainAsync();
        Assert.Equal("Echo: back", Text(await jsonRpc.RequestAsync(4, "tools/call", new { name = "echo", arguments = new { message = "back" } })));
        Assert.Equal("Echo: back", Text(await EnvelopeRequestAsync(envelope, "b", "tool_call", new { tool_name = "echo", parameters = new { message = "back" } })));
        var listed = await jsonRpc.RequestAsync(5, "tools/list");
        Assert.Contains(listed.GetProperty("result").GetProperty("tools").EnumerateArray(), tool => tool.GetProperty("name").GetString() == "get-sum");
        using var rest = await browser.PostAsync("/api/tools/echo/call", JsonContent.Create(new { arguments = new { message = "rest" } }));
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        using var health = await browser.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // The failures were logged without the user's tokens, cookie or the client's credentials.
        GatewaySecrets.AssertNotInLogs(gateway, await GatewaySecrets.CollectAsync(gateway, browser));
    }

    private static async Task<JsonElement> EnvelopeRequestAsync(RawSocket socket, string id, string method, object parameters)
    {
        await socket.SendAsync(JsonSerializer.Serialize(new { id, type = "request", method, @params = parameters }));
        return await socket.ReceiveAsync(message => HasId(message, id));
    }

    private static bool IsProgress(JsonElement message)
        => message.TryGetProperty("method", out var method) && method.GetString() == "notifications/progress";

    private static bool HasId(JsonElement message, int id)
        => message.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.Number && value.GetInt32() == id;

    private static bool HasId(JsonElement message, string id)
        => message.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == id;

    private static string? Text(JsonElement response)
        => response.TryGetProperty("result", out var result)
            ? result.GetProperty("content")[0].GetProperty("text").GetString()
            : "error: " + response.GetRawText();
}
