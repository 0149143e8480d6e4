using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using McpGateway.Mcp.Upstream;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class StandaloneStreamReaderTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/mcp");
    private readonly Channel<JsonRpcMessage> _messages = Channel.CreateUnbounded<JsonRpcMessage>();
    private readonly ConcurrentQueue<HttpRequestMessage> _gets = new();

    [Fact]
    public async Task Message_events_reach_the_session_and_a_reconnection_resumes_after_the_last_event_with_the_session_headers()
    {
        var answers = new Queue<Func<HttpResponseMessage>>([
            () => Sse("id: e1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n"),
            () => new HttpResponseMessage(HttpStatusCode.NotFound),
        ]);

        var end = await Reader(_ => answers.Dequeue()()).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(StandaloneStreamEnd.SessionLost, end);
        Assert.True(_messages.Reader.TryRead(out var message));
        Assert.Equal("notifications/tools/list_changed", Assert.IsType<JsonRpcNotification>(message).Method);
        var gets = _gets.ToArray();
        Assert.Equal(2, gets.Length);
        Assert.All(gets, get =>
        {
            Assert.Equal(HttpMethod.Get, get.Method);
            Assert.Equal("text/event-stream", Assert.Single(get.Headers.Accept).MediaType);
            Assert.Equal("session-1", Assert.Single(get.Headers.GetValues("Mcp-Session-Id")));
            Assert.Equal("2025-11-25", Assert.Single(get.Headers.GetValues("MCP-Protocol-Version")));
        });
        Assert.False(gets[0].Headers.Contains("Last-Event-ID"));
        Assert.Equal("e1", Assert.Single(gets[1].Headers.GetValues("Last-Event-ID")));
    }

    [Fact]
    public async Task A_stream_that_keeps_failing_is_given_up_after_five_reconnections()
    {
        var end = await Reader(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError)).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(StandaloneStreamEnd.GaveUp, end);
        Assert.Equal(1 + StandaloneStreamReader.MaxReconnectAttempts, _gets.Count);
    }

    [Fact]
    public async Task A_connection_failure_counts_as_an_attempt_like_an_ended_stream()
    {
        var end = await Reader(_ => throw new HttpRequestException("refused")).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(StandaloneStreamEnd.GaveUp, end);
        Assert.Equal(1 + StandaloneStreamReader.MaxReconnectAttempts, _gets.Count);
    }

    [Fact]
    public async Task A_server_without_a_standalone_stream_is_asked_once()
    {
        var end = await Reader(_ => new HttpResponseMessage(HttpStatusCode.MethodNotAllowed)).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(StandaloneStreamEnd.Refused, end);
        Assert.Single(_gets);
    }

    [Fact]
    public async Task Events_that_are_not_messages_are_skipped_and_the_ones_after_them_delivered()
    {
        var answers = new Queue<Func<HttpResponseMessage>>([
            () => Sse("id: p0\ndata:\n\ndata: not json\n\nevent: other\ndata: {}\n\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}\n\n"),
            () => new HttpResponseMessage(HttpStatusCode.NotFound),
        ]);

        await Reader(_ => answers.Dequeue()()).RunAsync(TestContext.Current.CancellationToken);

        Assert.True(_messages.Reader.TryRead(out var message));
        Assert.Equal("ping", Assert.IsType<JsonRpcRequest>(message).Method);
        Assert.False(_messages.Reader.TryRead(out _));
        Assert.Equal("p0", Assert.Single(_gets.Last().Headers.GetValues("Last-Event-ID")));
    }

    [Fact]
    public async Task Closing_the_session_ends_an_open_stream()
    {
        using var stop = new CancellationTokenSource();
        var reader = Reader(_ => Sse(new HangingStream(stop.Token)));

        var run = reader.RunAsync(stop.Token);
        await stop.CancelAsync();

        Assert.Equal(StandaloneStreamEnd.Cancelled, await run);
    }

    [Fact]
    public async Task Without_a_session_id_or_a_negotiated_version_those_headers_are_left_out()
    {
        var reader = new StandaloneStreamReader(
            new HttpClient(Handler(_ => new HttpResponseMessage(HttpStatusCode.MethodNotAllowed))), Endpoint, () => null, () => null,
            _messages.Writer, new FakeTimeProvider(), NullLogger.Instance, TimeSpan.Zero);

        await reader.RunAsync(TestContext.Current.CancellationToken);

        var get = Assert.Single(_gets);
        Assert.False(get.Headers.Contains("Mcp-Session-Id"));
        Assert.False(get.Headers.Contains("MCP-Protocol-Version"));
    }

    private StandaloneStreamReader Reader(Func<HttpRequestMessage, HttpResponseMessage> respond)
        => new(new HttpClient(Handler(respond)), Endpoint, () => "session-1", () => "2025-11-25", _messages.Writer, new FakeTimeProvider(), NullLogger.Instance, TimeSpan.Zero);

    private FakeHttpHandler Handler(Func<HttpRequestMessage, HttpResponseMessage> respond) => new(request =>
    {
        _gets.Enqueue(request);
        return respond(request);
    });

    private static HttpResponseMessage Sse(string body) => FakeHttpHandler.Text(HttpStatusCode.OK, body, "text/event-stream");

    private static HttpResponseMessage Sse(Stream body) => new(HttpStatusCode.OK) { Content = new StreamContent(body) };

    /// <summary>A response body that never ends until the token fires, like an idle standalone stream.</summary>
    private sealed class HangingStream(CancellationToken stop) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, cancellationToken);
            await Task.Delay(Timeout.Infinite, both.Token);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
