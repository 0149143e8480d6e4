using System.Text.Json.Nodes;
using McpGateway.Mcp.Upstream;
using ModelContextProtocol.Protocol;
using static McpGateway.Tests.Mcp.Upstream.LinkHarness;

namespace McpGateway.Tests.Mcp.Upstream;

/// <summary>How <see cref="UpstreamLink"/> recovers when the upstream loses or ends the session.</summary>
public sealed class UpstreamLinkRecoveryTests : IAsyncDisposable
{
    private readonly LinkHarness _harness = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_lost_session_is_replaced_initialized_like_the_browser_did_and_the_request_retried_once()
    {
        var first = _harness.Factory.Prepare(FakeUpstreamSession.Answering());
        var initialize = Request("i-1", "initialize", """{"protocolVersion":"2025-11-25","capabilities":{"sampling":{},"elicitation":{}},"clientInfo":{"name":"web","version":"1.2"}}""");
        Assert.IsType<JsonRpcResponse>(await _harness.Link.RequestAsync(initialize, Cancellation).WaitAsync(Patience, Cancellation));
        await _harness.Link.NotifyAsync(new JsonRpcNotification { Method = "notifications/initialized" }, Cancellation);
        first.Fail = message => message is JsonRpcRequest { Method: "tools/list" } ? new UpstreamSessionLostException("HTTP 404 for the session") : null;
        var second = _harness.Factory.Prepare(FakeUpstreamSession.Answering(("tools/list", """{"tools":[{"name":"from-second","inputSchema":{"type":"object"}}]}""")));

        var answer = Assert.IsType<JsonRpcResponse>(await _harness.Link.RequestAsync(Request("t-1", "tools/list"), Cancellation).WaitAsync(Patience, Cancellation));

        Assert.Equal(new RequestId("t-1"), answer.Id);
        Assert.Equal("from-second", (string?)answer.Result?["tools"]?[0]?["name"]);
        Assert.True(first.Disposed);
        Assert.Equal([_harness.User, _harness.User], _harness.Factory.Opened);
        var replayed = Assert.IsType<JsonRpcRequest>(second.Sent.ElementAt(0));
        Assert.Equal("initialize", replayed.Method);
        Assert.NotEqual(new RequestId("i-1"), replayed.Id);
        Frames.SameJson(initialize.Params!.ToJsonString(), replayed.Params);
        Assert.Equal("notifications/initialized", Assert.IsType<JsonRpcNotification>(second.Sent.ElementAt(1)).Method);
        Assert.Equal("tools/list", Assert.IsType<JsonRpcRequest>(second.Sent.ElementAt(2)).Method);
        Assert.Equal(3, second.Sent.Count);
        Assert.False(_harness.Browser.Reader.TryRead(out _), "the answer to the replayed initialize reached the browser");
        Assert.Contains(_harness.Logger.Entries, entry => entry.EventId.Id == 4003 && entry.Message.Contains("HTTP 404 for the session", StringComparison.Ordinal));
        Assert.Contains(_harness.Logger.Entries, entry => entry.EventId.Id == 4004);
    }

    [Fact]
    public async Task The_initialized_notification_is_replayed_as_the_browser_sent_it()
    {
        _harness.Factory.Prepare(FakeUpstreamSession.Answering()).Fail = message => message is JsonRpcRequest { Method: "ping" } ? new UpstreamSessionLostException("gone") : null;
        await _harness.Link.RequestAsync(Request(1L, "initialize", "{}"), Cancellation);
        await _harness.Link.NotifyAsync(new JsonRpcNotification { Method = "notifications/initialized", Params = JsonNode.Parse("""{"_meta":{"k":"v"}}""") }, Cancellation);
        var second = _harness.Factory.Prepare(FakeUpstreamSession.Answering(("ping", "{}")));

        await _harness.Link.RequestAsync(Request(2L, "ping"), Cancellation).WaitAsync(Patience, Cancellation);

        Frames.SameJson("""{"_meta":{"k":"v"}}""", Assert.IsType<JsonRpcNotification>(second.Sent.ElementAt(1)).Params);
    }

    [Fact]
    public async Task A_session_that_was_never_initialized_is_replaced_without_a_handshake()
    {
        _harness.Factory.Prepare().Fail = _ => new UpstreamSessionLostException("expired");
        var second = _harness.Factory.Prepare(FakeUpstreamSession.Answering(("tools/list", """{"tools":[]}""")));

        var answer = await _harness.Link.RequestAsync(Request("t", "tools/list", """{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}"""), Cancellation).WaitAsync(Patience, Cancellation);

        Assert.IsType<JsonRpcResponse>(answer);
        Assert.Equal("tools/list", Assert.IsType<JsonRpcRequest>(Assert.Single(second.Sent)).Method);
    }

    [Fact]
    public async Task A_second_loss_in_a_row_is_not_retried()
    {
        var first = _harness.Factory.Prepare(FakeUpstreamSession.Answering());
        await _harness.Link.RequestAsync(Request(1L, "initialize", "{}"), Cancellation);
        first.Fail = message => message is JsonRpcRequest { Method: "tools/call" } ? new UpstreamSessionLostException("first loss") : null;
        var second = _harness.Factory.Prepare(FakeUpstreamSession.Answering());
        second.Fail = message => message is JsonRpcRequest { Method: "tools/call" } ? new UpstreamSessionLostException("second loss") : null;
        _harness.Factory.Prepare(FakeUpstreamSession.Answering());

        var failure = await Assert.ThrowsAsync<UpstreamSessionLostException>(() => _harness.Link.RequestAsync(Request(2L, "tools/call", """{"name":"x"}"""), Cancellation));

        Assert.Equal("second loss", failure.Message);
        Assert.Equal(2, _harness.Factory.Opened.Count);
    }

    [Fact]
    public async Task A_lost_initialize_is_not_retried()
    {
        _harness.Factory.Prepare().Fail = _ => new UpstreamSessionLostException("lost");
        _harness.Factory.Prepare(FakeUpstreamSession.Answering());

        await Assert.ThrowsAsync<UpstreamSessionLostException>(() => _harness.Link.RequestAsync(Request(1L, "initialize", "{}"), Cancellation));

        Assert.Single(_harness.Factory.Opened);
    }

    [Fact]
    public async Task When_the_session_ends_requests_in_flight_fail_at_once_and_the_next_request_opens_a_new_initialized_session()
    {
        var first = _harness.Factory.Prepare(FakeUpstreamSession.Answering());
        await _harness.Link.RequestAsync(Request("i", "initialize", """{"protocolVersion":"2025-11-25"}"""), Cancellation);
        await _harness.Link.NotifyAsync(new JsonRpcNotification { Method = "notifications/initialized" }, Cancellation);
        var slow = _harness.Link.RequestAsync(Request("slow", "tools/call", """{"name":"sleep"}"""), Cancellation);
        await first.NextSentAsync();
        await first.NextSentAsync();
        await first.NextSentAsync<JsonRpcRequest>();
        var second = _harness.Factory.Prepare(FakeUpstreamSession.Answering(("ping", "{}")));

        first.End();

        var failure = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => slow.WaitAsync(Patience, Cancellation));
        Assert.Equal("the connection closed while the request was in flight", failure.Message);
        Assert.IsType<JsonRpcResponse>(await _harness.Link.RequestAsync(Request("p", "ping"), Cancellation).WaitAsync(Patience, Cancellation));
        Assert.Equal(["initialize", "notifications/initialized", "ping"], second.Sent.Select(LinkHarness.MethodOf));
        Assert.True(first.Disposed);
    }

    [Fact]
    public async Task Disposing_fails_the_requests_in_flight_and_ends_the_session()
    {
        var session = _harness.Factory.Prepare();
        var asking = _harness.Link.RequestAsync(Request(1L, "tools/call", """{"name":"slow"}"""), Cancellation);
        await session.NextSentAsync();

        await _harness.Link.DisposeAsync();

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => asking.WaitAsync(Patience, Cancellation));
        Assert.True(session.Disposed);
        await _harness.Link.DisposeAsync();
    }

    [Fact]
    public async Task A_replacement_session_that_fails_to_initialize_is_disposed()
    {
        _harness.Factory.Prepare(FakeUpstreamSession.Answering()).Fail = message => message is JsonRpcRequest { Method: "ping" } ? new UpstreamSessionLostException("lost") : null;
        await _harness.Link.RequestAsync(Request(1L, "initialize", "{}"), Cancellation);
        var second = _harness.Factory.Prepare();
        second.Fail = _ => new UpstreamUnavailableException("refused");

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => _harness.Link.RequestAsync(Request(2L, "ping"), Cancellation));

        Assert.True(second.Disposed);
    }
}
