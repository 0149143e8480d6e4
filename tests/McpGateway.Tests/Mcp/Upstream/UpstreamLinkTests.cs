using System.Text.Json.Nodes;
using McpGateway.Mcp.Upstream;
using ModelContextProtocol.Protocol;
using static McpGateway.Tests.Mcp.Upstream.LinkHarness;

namespace McpGateway.Tests.Mcp.Upstream;

/// <summary>Relaying through <see cref="UpstreamLink"/>: ids, concurrency, errors, server requests, notifications, cancellation.</summary>
public sealed class UpstreamLinkTests : IAsyncDisposable
{
    private readonly LinkHarness _harness = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_request_goes_upstream_under_an_id_of_the_gateway_and_comes_back_under_the_browsers()
    {
        var session = _harness.Factory.Prepare();

        var asking = _harness.Link.RequestAsync(Request("b-1", "tools/list", """{"_meta":{"progressToken":"p"}}"""), Cancellation);
        var sent = await session.NextSentAsync<JsonRpcRequest>();
        session.Send(new JsonRpcResponse { Id = sent.Id, Result = JsonNode.Parse("""{"tools":[]}""") });
        var answer = Assert.IsType<JsonRpcResponse>(await asking.WaitAsync(Patience, Cancellation));

        Assert.Equal("tools/list", sent.Method);
        Assert.IsType<long>(sent.Id.Id);
        Frames.SameJson("""{"_meta":{"progressToken":"p"}}""", sent.Params);
        Assert.Equal(new RequestId("b-1"), answer.Id);
        Frames.SameJson("""{"tools":[]}""", answer.Result);
        Assert.Equal([_harness.User], _harness.Factory.Opened);
    }

    [Fact]
    public async Task Browser_ids_that_look_alike_get_different_upstream_ids()
    {
        var session = _harness.Factory.Prepare();

        var number = _harness.Link.RequestAsync(Request(1L, "ping"), Cancellation);
        var text = _harness.Link.RequestAsync(Request("1", "ping"), Cancellation);
        var first = await session.NextSentAsync<JsonRpcRequest>();
        var second = await session.NextSentAsync<JsonRpcRequest>();
        Assert.NotEqual(first.Id, second.Id);
        session.Send(new JsonRpcResponse { Id = second.Id, Result = new JsonObject { ["which"] = "second" } });
        session.Send(new JsonRpcResponse { Id = first.Id, Result = new JsonObject { ["which"] = "first" } });

        var answers = await Task.WhenAll(number, text).WaitAsync(Patience, Cancellation);

        Assert.Equal([new RequestId(1L), new RequestId("1")], answers.Select(answer => ((JsonRpcResponse)answer).Id));
        Assert.Equal(["first", "second"], answers.Select(answer => (string?)((JsonRpcResponse)answer).Result?["which"]));
    }

    [Fact]
    public async Task Concurrent_requests_are_matched_to_their_own_answers_whatever_the_order()
    {
        const int Count = 50;
        var session = _harness.Factory.Prepare();

        var asking = Enumerable.Range(0, Count)
            .Select(index => _harness.Link.RequestAsync(Request($"b-{index}", "tools/call", """{"name":"slow","arguments":{"n":@}}""".Replace("@", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)), Cancellation))
            .ToList();
        var sent = new List<JsonRpcRequest>();
        for (var index = 0; index < Count; index++)
        {
            sent.Add(await session.NextSentAsync<JsonRpcRequest>());
        }

        foreach (var request in Enumerable.Reverse(sent))
        {
            session.Send(new JsonRpcResponse { Id = request.Id, Result = new JsonObject { ["n"] = request.Params!["arguments"]!["n"]!.DeepClone() } });
        }

        var answers = await Task.WhenAll(asking).WaitAsync(Patience, Cancellation);

        Assert.Equal(Count, sent.Select(request => request.Id).Distinct().Count());
        for (var index = 0; index < Count; index++)
        {
            var answer = Assert.IsType<JsonRpcResponse>(answers[index]);
            Assert.Equal(new RequestId($"b-{index}"), answer.Id);
            Assert.Equal(index, (int?)answer.Result?["n"]);
        }
    }

    [Fact]
    public async Task An_error_answer_keeps_its_code_message_and_data_under_the_browsers_id()
    {
        var session = _harness.Factory.Prepare();

        var asking = _harness.Link.RequestAsync(Request(9L, "resources/read", """{"uri":"x://nope"}"""), Cancellation);
        var sent = await session.NextSentAsync<JsonRpcRequest>();
        session.Send(new JsonRpcError
        {
            Id = sent.Id,
            Error = new JsonRpcErrorDetail { Code = -32002, Message = "Resource not found", Data = new JsonObject { ["uri"] = "x://nope" } },
        });

        var error = Assert.IsType<JsonRpcError>(await asking.WaitAsync(Patience, Cancellation));

        Assert.Equal(new RequestId(9L), error.Id);
        Assert.Equal((-32002, "Resource not found"), (error.Error.Code, error.Error.Message));
        Frames.SameJson("""{"uri":"x://nope"}""", Assert.IsType<JsonObject>(error.Error.Data));
    }

    [Fact]
    public async Task A_json_rpc_error_in_the_http_answer_becomes_an_error_for_the_browsers_request()
    {
        var session = _harness.Factory.Prepare();
        var detail = new JsonRpcErrorDetail { Code = -32022, Message = "Unsupported protocol version", Data = new JsonObject { ["supported"] = new JsonArray("2025-11-25") } };
        session.Fail = _ => new UpstreamRejectedException(detail);

        var error = Assert.IsType<JsonRpcError>(await _harness.Link.RequestAsync(Request("d-1", "server/discover"), Cancellation).WaitAsync(Patience, Cancellation));

        Assert.Equal(new RequestId("d-1"), error.Id);
        Assert.Same(detail, error.Error);
    }

    [Fact]
    public async Task An_unreachable_upstream_fails_the_request_and_the_next_one_tries_again()
    {
        var session = _harness.Factory.Prepare();
        session.Fail = _ => new UpstreamUnavailableException("connection refused");

        var failure = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => _harness.Link.RequestAsync(Request(1L, "ping"), Cancellation));
        Assert.Equal("connection refused", failure.Message);

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => _harness.Link.RequestAsync(Request(2L, "ping"), Cancellation));
        Assert.Single(_harness.Factory.Opened);
        Assert.DoesNotContain(_harness.Logger.Entries, entry => entry.EventId.Id == 4003);
    }

    [Fact]
    public async Task When_no_session_can_be_opened_the_request_fails_and_the_next_one_opens_one()
    {
        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => _harness.Link.RequestAsync(Request(1L, "ping"), Cancellation));
        var session = _harness.Factory.Prepare(FakeUpstreamSession.Answering(("ping", "{}")));

        Assert.IsType<JsonRpcResponse>(await _harness.Link.RequestAsync(Request(2L, "ping"), Cancellation).WaitAsync(Patience, Cancellation));
        Assert.Equal(2, _harness.Factory.Opened.Count);
    }

    [Fact]
    public async Task An_answer_nobody_waits_for_is_dropped()
    {
        var session = _harness.Factory.Prepare(FakeUpstreamSession.Answering(("ping", "{}")));
        await _harness.Link.RequestAsync(Request(1L, "ping"), Cancellation);

        session.Send(new JsonRpcResponse { Id = new RequestId(12345), Result = new JsonObject() });
        session.Send(new JsonRpcNotification { Method = "notifications/message" });

        Assert.Equal("notifications/message", Assert.IsType<JsonRpcNotification>(await _harness.NextToBrowserAsync()).Method);
        Assert.Contains(_harness.Logger.Entries, entry => entry.EventId.Id == 4005);
    }

    [Fact]
    public async Task Server_notifications_go_to_the_browser_in_order()
    {
        var session = await _harness.ConnectedAsync();

        string[] methods = ["notifications/progress", "notifications/message", "notifications/tools/list_changed", "notifications/resources/updated"];
        foreach (var method in methods)
        {
            session.Send(new JsonRpcNotification { Method = method, Params = new JsonObject { ["m"] = method } });
        }

        foreach (var method in methods)
        {
            var notification = Assert.IsType<JsonRpcNotification>(await _harness.NextToBrowserAsync());
            Assert.Equal(method, notification.Method);
            Assert.Equal(method, (string?)notification.Params?["m"]);
        }
    }

    [Fact]
    public async Task A_server_request_the_gateway_does_not_answer_goes_to_the_browser_with_the_servers_id()
    {
        var session = await _harness.ConnectedAsync();

        session.Send(new JsonRpcRequest { Id = new RequestId(0), Method = "sampling/createMessage", Params = JsonNode.Parse("""{"maxTokens":10}""") });

        var request = Assert.IsType<JsonRpcRequest>(await _harness.NextToBrowserAsync());
        Assert.Equal((new RequestId(0), "sampling/createMessage"), (request.Id, request.Method));
        Frames.SameJson("""{"maxTokens":10}""", request.Params);
        Assert.Single(session.Sent);
    }

    [Fact]
    public async Task A_server_request_answered_by_the_gateway_goes_back_upstream_and_not_to_the_browser()
    {
        _harness.Local = request => request.Method == "tools/call"
            ? new JsonRpcResponse { Id = request.Id, Result = JsonNode.Parse("""{"content":[{"type":"text","text":"4"}],"isError":false}""") }
            : null;
        var session = await _harness.ConnectedAsync();

        session.Send(new JsonRpcRequest { Id = new RequestId("srv-1"), Method = "tools/call", Params = JsonNode.Parse("""{"name":"calculator","arguments":{"expression":"2+2"}}""") });

        var answer = await session.NextSentAsync<JsonRpcResponse>();
        Assert.Equal(new RequestId("srv-1"), answer.Id);
        Assert.Equal("4", (string?)answer.Result?["content"]?[0]?["text"]);
        session.Send(new JsonRpcNotification { Method = "notifications/marker" });
        Assert.Equal("notifications/marker", Assert.IsType<JsonRpcNotification>(await _harness.NextToBrowserAsync()).Method);
    }

    [Fact]
    public async Task A_server_request_the_gateway_fails_to_answer_gets_an_error_upstream()
    {
        _harness.Local = _ => throw new InvalidOperationException("The node must be of type 'JsonObject'.");
        var session = await _harness.ConnectedAsync();

        session.Send(new JsonRpcRequest { Id = new RequestId(4), Method = "tools/call", Params = JsonNode.Parse("""["calculator"]""") });

        Assert.Equal(new RequestId(4), (await session.NextSentAsync<JsonRpcError>()).Id);
    }

    [Fact]
    public async Task The_browsers_answer_to_a_server_request_is_relayed_unchanged()
    {
        var session = await _harness.ConnectedAsync();
        var answer = new JsonRpcResponse { Id = new RequestId(0), Result = JsonNode.Parse("""{"roots":[]}""") };
        var refusal = new JsonRpcError { Id = new RequestId(1), Error = new JsonRpcErrorDetail { Code = -1, Message = "declined" } };

        await _harness.Link.AnswerAsync(answer, Cancellation);
        await _harness.Link.AnswerAsync(refusal, Cancellation);

        Assert.Same(answer, await session.NextSentAsync());
        Assert.Same(refusal, await session.NextSentAsync());
    }

    [Theory]
    [InlineData("\"b-7\"")]
    [InlineData("7")]
    public async Task A_cancellation_is_pointed_at_the_upstream_id_of_the_request(string browserId)
    {
        var session = await _harness.ConnectedAsync();
        var id = browserId.StartsWith('"') ? new RequestId(browserId.Trim('"')) : new RequestId(long.Parse(browserId, System.Globalization.CultureInfo.InvariantCulture));
        var asking = _harness.Link.RequestAsync(Request(id, "tools/call", """{"name":"slow"}"""), Cancellation);
        var sent = await session.NextSentAsync<JsonRpcRequest>();

        await _harness.Link.NotifyAsync(new JsonRpcNotification { Method = "notifications/cancelled", Params = JsonNode.Parse($$"""{"requestId":{{browserId}},"reason":"user pressed stop"}""") }, Cancellation);

        var cancelled = await session.NextSentAsync<JsonRpcNotification>();
        Assert.Equal("notifications/cancelled", cancelled.Method);
        Frames.SameJson($$"""{"requestId":{{(long)sent.Id.Id!}},"reason":"user pressed stop"}""", cancelled.Params);
        Assert.False(asking.IsCompleted);
    }

    [Fact]
    public async Task A_cancellation_of_a_request_not_in_flight_upstream_is_not_relayed()
    {
        var session = await _harness.ConnectedAsync();

        await _harness.Link.NotifyAsync(new JsonRpcNotification { Method = "notifications/cancelled", Params = JsonNode.Parse("""{"requestId":"never-sent"}""") }, Cancellation);
        await _harness.Link.NotifyAsync(new JsonRpcNotification { Method = "notifications/roots/list_changed" }, Cancellation);

        Assert.Equal("notifications/roots/list_changed", (await session.NextSentAsync<JsonRpcNotification>()).Method);
    }
}
