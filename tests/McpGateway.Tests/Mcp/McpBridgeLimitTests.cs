using System.Net.WebSockets;
using McpGateway.Mcp;
using McpGateway.Mcp.Upstream;
using McpGateway.Tests.Mcp.Upstream;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

/// <summary>The bridge's limits and failures: request timeout, requests in flight, idle timeout, an upstream that is down, a session that ended.</summary>
public sealed class McpBridgeLimitTests : IAsyncDisposable
{
    private readonly BridgeHarness _bridge = new();

    public ValueTask DisposeAsync() => _bridge.DisposeAsync();

    [Fact]
    public async Task A_request_the_upstream_does_not_answer_in_time_gets_a_timeout_error()
    {
        var upstream = _bridge.Start(new FakeUpstreamSession());

        await _bridge.SendAsync("""{"jsonrpc":"2.0","id":"slow","method":"tools/call","params":{"name":"sleep"}}""");
        await upstream.NextSentAsync();
        _bridge.Time.Advance(_bridge.Options.RequestTimeout);
        var error = await _bridge.ReceiveAsync();

        Frames.SameJson("""{"jsonrpc":"2.0","id":"slow","error":{"code":-32001,"message":"No answer within 30 s."}}""", error);
    }

    [Fact]
    public async Task More_requests_in_flight_than_allowed_get_an_error_and_the_others_go_on()
    {
        var upstream = _bridge.Start(new FakeUpstreamSession());

        await _bridge.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"}}""");
        await _bridge.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"b"}}""");
        await upstream.NextSentAsync();
        await upstream.NextSentAsync();
        var refused = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":3,"method":"ping"}""");

        Assert.Equal((3, BridgeErrorCodes.TooManyRequests), ((int?)refused["id"], (int?)refused["error"]?["code"]));
        Assert.Contains("at most 2", (string?)refused["error"]?["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_request_with_an_id_in_flight_is_refused()
    {
        var upstream = _bridge.Start(new FakeUpstreamSession());

        await _bridge.SendAsync("""{"jsonrpc":"2.0","id":"same","method":"tools/call","params":{"name":"a"}}""");
        await upstream.NextSentAsync();
        var refused = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":"same","method":"ping"}""");

        Assert.Equal(("same", -32600), ((string?)refused["id"], (int?)refused["error"]?["code"]));
        Assert.Contains("already in flight", (string?)refused["error"]?["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_that_is_down_becomes_an_error_for_the_request_not_a_dead_socket()
    {
        var upstream = _bridge.Start(FakeUpstreamSession.Answering(("ping", "{}")));
        upstream.Fail = message => message is JsonRpcRequest { Method: "tools/list" } ? new UpstreamUnavailableException("connection refused") : null;

        var error = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        var pong = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":2,"method":"ping"}""");

        Frames.SameJson("""{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"The MCP server is unavailable: connection refused"}}""", error);
        Assert.Equal(2, (int?)pong["id"]);
    }

    [Fact]
    public async Task An_ended_session_closes_the_socket_with_4401_and_the_reason()
    {
        _bridge.Start(new FakeUpstreamSession { Fail = _ => new SessionEndedException("The session ended: sign in again.") });

        await _bridge.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        var closed = await _bridge.ReceiveCloseAsync();

        Assert.Equal(((WebSocketCloseStatus)4401, "The session ended: sign in again."), closed);
    }

    [Fact]
    public async Task A_quiet_socket_is_closed_after_the_idle_timeout()
    {
        _bridge.Start(new FakeUpstreamSession());

        _bridge.Time.Advance(_bridge.Options.IdleTimeout);
        var closed = await _bridge.ReceiveCloseAsync();

        Assert.Equal(((WebSocketCloseStatus)4408, "No message for 300 s."), closed);
    }

    [Fact]
    public async Task A_socket_is_closed_an_idle_timeout_after_its_last_message_not_after_it_opened()
    {
        _bridge.Start(FakeUpstreamSession.Answering(("ping", "{}")));

        _bridge.Time.Advance(_bridge.Options.IdleTimeout - TimeSpan.FromSeconds(10));
        await _bridge.AskUntilAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", 1);
        _bridge.Time.Advance(TimeSpan.FromSeconds(20));
        // Past the timeout counted from the opening, but not from the last message: still open.
        await _bridge.AskUntilAsync("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", 2);
        _bridge.Time.Advance(_bridge.Options.IdleTimeout);
        var closed = await _bridge.ReceiveCloseAsync();

        Assert.Equal(((WebSocketCloseStatus)4408, "No message for 300 s."), closed);
    }

    [Fact]
    public async Task A_bridge_whose_run_ended_is_no_longer_watched_for_idleness()
    {
        _bridge.Start(new FakeUpstreamSession());
        Assert.Equal(1, IdleSweep.On(_bridge.Time).Count);

        _bridge.Browser.Abort();
        await _bridge.Running.WaitAsync(BridgeHarness.Patience, TestContext.Current.CancellationToken);

        Assert.Equal(0, IdleSweep.On(_bridge.Time).Count);
    }

    [Fact]
    public async Task A_tools_call_with_array_params_does_not_use_up_a_request_slot()
    {
        _bridge.Start(FakeUpstreamSession.Answering(("ping", "{}")));

        await _bridge.SendAsync("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":["calculator"]}""");
        await _bridge.SendAsync("""{"jsonrpc":"2.0","id":6,"method":"tools/call","params":["calculator"]}""");
        var pong = await _bridge.AskUntilAsync("""{"jsonrpc":"2.0","id":7,"method":"ping"}""", 7);

        Assert.Equal(7, (int?)pong["id"]);
        Assert.Null(pong["error"]);
    }
}
