using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using McpGateway.Mcp.Upstream;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Upstream;

/// <summary>The gateway's own Streamable HTTP client: what it sends, how it reads answers, and how it fails.</summary>
public sealed class StreamableHttpUpstreamExchangeTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/mcp");

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_answer_on_the_requests_own_event_stream_is_returned_and_nothing_else_is_queued()
    {
        var seen = new ConcurrentQueue<HttpRequestMessage>();
        var server = new FakeHttpHandler(request =>
        {
            seen.Enqueue(request);
            return Sse("id: e1\ndata: \n\n" + "id: e2\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[]}}\n\n");
        });
        await using var upstream = await Connect(server);

        var answer = await upstream.RequestAsync(ToolCall(7, "echo"), null, Cancellation);

        Assert.Equal(new RequestId(7), Assert.IsType<JsonRpcResponse>(answer).Id);
        Assert.False(upstream.Messages.TryRead(out _));
        var post = Assert.Single(seen);
        Assert.Equal("tools/call", Assert.Single(post.Headers.GetValues("Mcp-Method")));
        Assert.Equal("echo", Assert.Single(post.Headers.GetValues("Mcp-Name")));
        Assert.Equal("application/json, text/event-stream", string.Join(", ", post.Headers.GetValues("Accept")));
        Assert.Equal("application/json", post.Content!.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task What_the_server_sends_before_the_answer_is_queued_and_the_answer_follows_it_in_order()
    {
        var server = new FakeHttpHandler(_ => Sse(
            "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"p\",\"progress\":1}}\n\n"
            + "data: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}\n\n"));
        await using var upstream = await Connect(server);

        var answer = await upstream.RequestAsync(ToolCall(3, "slow"), null, Cancellation);

        Assert.Null(answer);
        Assert.Equal("notifications/progress", Assert.IsType<JsonRpcNotification>(await upstream.Messages.ReadAsync(Cancellation)).Method);
        Assert.Equal(new RequestId(3), Assert.IsType<JsonRpcResponse>(await upstream.Messages.ReadAsync(Cancellation)).Id);
    }

    [Fact]
    public async Task A_stream_that_breaks_after_an_event_is_resumed_with_last_event_id_and_its_answer_returned()
    {
        var gets = new ConcurrentQueue<HttpRequestMessage>();
        var server = new FakeHttpHandler(request =>
        {
            if (request.Method == HttpMethod.Get)
            {
                gets.Enqueue(request);
                return Sse("id: e2\ndata: {\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"resumed\":true}}\n\n");
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new UnfinishedEventStream("id: e1\nretry: 10\ndata: \n\n", breaks: true) };
        });
        var time = new FakeTimeProvider();
        await using var upstream = await Connect(server, time);

        var pending = upstream.RequestAsync(ToolCall(5, "echo"), null, Cancellation);
        while (!pending.IsCompleted && gets.IsEmpty)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(5, Cancellation);
        }

        var answer = Assert.IsType<JsonRpcResponse>(await pending);
        Assert.True(answer.Result!["resumed"]!.GetValue<bool>());
        Assert.Equal("e1", Assert.Single(Assert.Single(gets).Headers.GetValues("Last-Event-ID")));
    }

    [Fact]
    public async Task The_caller_is_told_each_new_event_id_and_a_request_sent_earlier_is_answered_from_its_stream_resumed_after_one()
    {
        var gets = new ConcurrentQueue<HttpRequestMessage>();
        var server = new FakeHttpHandler(request =>
        {
            if (request.Method == HttpMethod.Get && !request.Headers.Contains("Last-Event-ID"))
            {
                return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed);
            }

            if (request.Method == HttpMethod.Get)
            {
                gets.Enqueue(request);
                return Sse("id: e3\ndata: {\"jsonrpc\":\"2.0\",\"id\":8,\"result\":{\"late\":true}}\n\n");
            }

            return Sse("id: e1\ndata: \n\nid: e1\ndata: \n\nid: e2\ndata: {\"jsonrpc\":\"2.0\",\"id\":6,\"result\":{}}\n\n");
        });
        await using var upstream = await Connect(server, knownSessionId: "s-1");
        var seen = new List<string>();

        await upstream.RequestAsync(ToolCall(6, "echo"), seen.Add, Cancellation);
        var late = await upstream.ResumeRequestAsync(new RequestId(8), "e7", Cancellation);

        Assert.Equal(["e1", "e2"], seen);
        Assert.True(Assert.IsType<JsonRpcResponse>(late).Result!["late"]!.GetValue<bool>());
        var get = Assert.Single(gets);
        Assert.Equal("e7", Assert.Single(get.Headers.GetValues("Last-Event-ID")));
        Assert.Equal("s-1", Assert.Single(get.Headers.GetValues("Mcp-Session-Id")));
    }

    [Fact]
    public async Task A_resumed_stream_gone_silent_is_asked_for_again_from_its_last_event_until_the_answer_comes()
    {
        // The reference server's event store replays what it kept but does not attach the new connection to the stream.
        var gets = new ConcurrentQueue<HttpRequestMessage>();
        var server = new FakeHttpHandler(request =>
        {
            if (!request.Headers.Contains("Last-Event-ID"))
            {
                return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed);
            }

            gets.Enqueue(request);
            return gets.Count == 1
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new UnfinishedEventStream("id: e8\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"p\",\"progress\":2}}\n\n", breaks: false) }
                : Sse("id: e9\ndata: {\"jsonrpc\":\"2.0\",\"id\":8,\"result\":{\"late\":true}}\n\n");
        });
        var time = new FakeTimeProvider();
        await using var upstream = await Connect(server, time, knownSessionId: "s-1");

        var pending = upstream.ResumeRequestAsync(new RequestId(8), "e7", Cancellation);
        for (var step = 0; step < 100 && !pending.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(5, Cancellation);
        }

        // The answer follows the progress notification read on the first stream, so it too goes to the messages, in order.
        Assert.Null(await pending.WaitAsync(TimeSpan.FromSeconds(5), Cancellation));
        Assert.Equal(["e7", "e8"], gets.Select(get => Assert.Single(get.Headers.GetValues("Last-Event-ID"))));
        Assert.True(upstream.Messages.TryRead(out var progress));
        Assert.Equal("notifications/progress", Assert.IsType<JsonRpcNotification>(progress).Method);
        Assert.True(upstream.Messages.TryRead(out var late));
        Assert.True(Assert.IsType<JsonRpcResponse>(late).Result!["late"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_stream_that_cannot_be_resumed_fails_the_recovered_request_clearly()
    {
        var server = new FakeHttpHandler(request => new HttpResponseMessage(request.Method == HttpMethod.Get ? HttpStatusCode.MethodNotAllowed : HttpStatusCode.NoContent));
        await using var upstream = await Connect(server, knownSessionId: "s-1");

        var failure = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => upstream.ResumeRequestAsync(new RequestId(8), "e7", Cancellation));

        Assert.Contains("did not resume", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_rpc_error_in_a_400_reaches_the_caller_as_the_servers_own_error_with_its_data()
    {
        var server = new FakeHttpHandler(_ => FakeHttpHandler.Json(
            HttpStatusCode.BadRequest, """{"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"Unsupported protocol version","data":{"supported":["2025-11-25"],"requested":"2026-07-28"}}}"""));
        await using var upstream = await Connect(server);

        var refused = await Assert.ThrowsAsync<UpstreamRejectedException>(() => upstream.RequestAsync(ToolCall(1, "echo"), null, Cancellation));

        Assert.Equal(-32022, refused.Error.Code);
        Assert.Equal("Unsupported protocol version", refused.Error.Message);
        Assert.Contains("2025-11-25", refused.Error.Data?.ToString());
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "it answered HTTP 500")]
    [InlineData(HttpStatusCode.Forbidden, "it answered HTTP 403")]
    public async Task Another_failure_is_an_outage_named_by_its_status_never_by_its_body(HttpStatusCode status, string expected)
    {
        var server = new FakeHttpHandler(_ => FakeHttpHandler.Text(status, "secret-token-echoed"));
        await using var upstream = await Connect(server);

        var failure = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => upstream.RequestAsync(ToolCall(1, "echo"), null, Cancellation));

        Assert.Equal(expected, failure.Message);
    }

    [Fact]
    public async Task A_404_for_a_known_session_is_a_lost_session_and_ends_the_message_stream()
    {
        var server = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        await using var upstream = await Connect(server, knownSessionId: "s-9");

        await Assert.ThrowsAsync<UpstreamSessionLostException>(() => upstream.RequestAsync(ToolCall(1, "echo"), null, Cancellation));

        await upstream.Messages.Completion.WaitAsync(Cancellation);
    }

    [Fact]
    public async Task Initialize_takes_the_session_id_and_revision_that_later_requests_carry()
    {
        var seen = new ConcurrentQueue<HttpRequestMessage>();
        var server = new FakeHttpHandler(request =>
        {
            seen.Enqueue(request);
            if (request.Method != HttpMethod.Post || !request.Content!.ReadAsStringAsync().GetAwaiter().GetResult().Contains("\"initialize\"", StringComparison.Ordinal))
            {
                return request.Method == HttpMethod.Post ? FakeHttpHandler.Json(HttpStatusCode.OK, """{"jsonrpc":"2.0","id":2,"result":{}}""") : new HttpResponseMessage(HttpStatusCode.OK);
            }

            var answer = FakeHttpHandler.Json(HttpStatusCode.OK, """{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"s","version":"1"}}}""");
            answer.Headers.Add("Mcp-Session-Id", "s-1");
            return answer;
        });
        var upstream = await Connect(server);

        await upstream.RequestAsync(new JsonRpcRequest { Id = new RequestId(1), Method = "initialize", Params = new JsonObject { ["protocolVersion"] = "2025-06-18" } }, null, Cancellation);
        await upstream.RequestAsync(new JsonRpcRequest { Id = new RequestId(2), Method = "tools/list" }, null, Cancellation);
        await upstream.DisposeAsync();

        var requests = seen.ToArray();
        Assert.False(requests[0].Headers.Contains("Mcp-Session-Id"));
        Assert.False(requests[0].Headers.Contains("MCP-Protocol-Version"));
        Assert.Equal("s-1", Assert.Single(requests[1].Headers.GetValues("Mcp-Session-Id")));
        Assert.Equal("2025-06-18", Assert.Single(requests[1].Headers.GetValues("MCP-Protocol-Version")));
        Assert.Equal(HttpMethod.Delete, requests[2].Method);
        Assert.Equal("s-1", Assert.Single(requests[2].Headers.GetValues("Mcp-Session-Id")));
    }

    [Fact]
    public async Task A_2026_07_28_request_carries_its_own_revision_and_no_session_id()
    {
        var seen = new ConcurrentQueue<HttpRequestMessage>();
        var server = new FakeHttpHandler(request =>
        {
            seen.Enqueue(request);
            return FakeHttpHandler.Json(HttpStatusCode.OK, """{"jsonrpc":"2.0","id":1,"result":{}}""");
        });
        await using var upstream = await Connect(server, knownSessionId: "s-1");
        var meta = new JsonObject { ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28" };

        await upstream.RequestAsync(new JsonRpcRequest { Id = new RequestId(1), Method = "tools/list", Params = new JsonObject { ["_meta"] = meta } }, null, Cancellation);

        var post = seen.Single(request => request.Method == HttpMethod.Post);
        Assert.Equal("2026-07-28", Assert.Single(post.Headers.GetValues("MCP-Protocol-Version")));
        Assert.False(post.Headers.Contains("Mcp-Session-Id"));
    }

    [Fact]
    public async Task Detaching_leaves_the_servers_session_open_and_disposing_ends_it()
    {
        var server = new FakeHttpHandler(request => request.Method == HttpMethod.Get
            ? new HttpResponseMessage(HttpStatusCode.MethodNotAllowed)
            : new HttpResponseMessage(HttpStatusCode.NoContent));

        await (await Connect(server, knownSessionId: "s-1")).DetachAsync();
        Assert.DoesNotContain(server.Requests, request => request.Method == HttpMethod.Delete);

        await (await Connect(server, knownSessionId: "s-1")).DisposeAsync();
        Assert.Single(server.Requests, request => request.Method == HttpMethod.Delete);
    }

    private static Task<StreamableHttpUpstream> Connect(FakeHttpHandler server, TimeProvider? time = null, string? knownSessionId = null)
        => StreamableHttpUpstream.ConnectAsync(Endpoint, new HttpClient(server), NullLoggerFactory.Instance, knownSessionId, Cancellation, time);

    private static JsonRpcRequest ToolCall(long id, string name)
        => new() { Id = new RequestId(id), Method = "tools/call", Params = new JsonObject { ["name"] = name, ["arguments"] = new JsonObject() } };

    private static HttpResponseMessage Sse(string events) => FakeHttpHandler.Text(HttpStatusCode.OK, events, "text/event-stream");

    /// <summary>An event stream whose connection, after the given events, breaks (an <see cref="IOException"/>) or stays open and silent.</summary>
    private sealed class UnfinishedEventStream : HttpContent
    {
        private readonly string _events;
        private readonly bool _breaks;

        public UnfinishedEventStream(string events, bool breaks)
        {
            _events = events;
            _breaks = breaks;
            Headers.ContentType = new("text/event-stream");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            => await stream.WriteAsync(Encoding.UTF8.GetBytes(_events));

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new UnfinishedStream(Encoding.UTF8.GetBytes(_events), _breaks));

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        private sealed class UnfinishedStream(byte[] first, bool breaks) : MemoryStream(first)
        {
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (Position < Length)
                {
                    return await base.ReadAsync(buffer, cancellationToken);
                }

                if (breaks)
                {
                    throw new IOException("connection reset");
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            }
        }
    }
}
