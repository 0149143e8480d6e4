using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using McpGateway.Mcp.Upstream;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class SessionGuardHandlerTests : IDisposable
{
    private const string Upstream = "http://upstream.test/mcp";
    private const string ServerEverythingUnknownSession = """{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null}""";

    private readonly FakeTimeProvider _time = new();
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _answers = new();
    private readonly FakeHttpHandler _upstream;
    private readonly HttpMessageInvoker _client;

    public SessionGuardHandlerTests()
    {
        _upstream = new FakeHttpHandler((request, cancellationToken) => _answers.Count > 0
            ? _answers.Dequeue()(request, cancellationToken)
            : Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.OK, "{}")));
        _client = new HttpMessageInvoker(new SessionGuardHandler(_time) { InnerHandler = _upstream });
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 1_000)]
    [InlineData(3, 2_000)]
    [InlineData(4, 4_000)]
    [InlineData(5, 8_000)]
    [InlineData(6, 16_000)]
    [InlineData(7, 30_000)]
    [InlineData(8, 30_000)]
    [InlineData(1_000, 30_000)]
    public void The_backoff_doubles_from_half_a_second_up_to_thirty_seconds(int failures, int milliseconds)
        => Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), SessionGuardHandler.GetBackoff(failures));

    [Fact]
    public async Task Failing_gets_are_spaced_out_by_the_backoff()
    {
        var waits = new[] { 0, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000 };
        foreach (var wait in waits)
        {
            _answers.Enqueue(Refused);
            await Assert.ThrowsAsync<HttpRequestException>(() => SendAfter(Get(session: false), TimeSpan.FromMilliseconds(wait)));
        }

        Assert.Equal(waits.Length, _upstream.Requests.Count);
    }

    [Fact]
    public async Task A_get_answered_with_an_error_status_counts_as_a_failure()
    {
        _answers.Enqueue(Status(HttpStatusCode.ServiceUnavailable));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAfter(Get(), TimeSpan.Zero)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAfter(Get(), TimeSpan.FromMilliseconds(500))).StatusCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.Accepted)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    public async Task A_get_that_succeeds_or_is_not_allowed_resets_the_backoff(HttpStatusCode status)
    {
        _answers.Enqueue(Refused);
        _answers.Enqueue(Refused);
        await Assert.ThrowsAsync<HttpRequestException>(() => SendAfter(Get(), TimeSpan.Zero));
        await Assert.ThrowsAsync<HttpRequestException>(() => SendAfter(Get(), TimeSpan.FromMilliseconds(500)));
        _answers.Enqueue(Status(status));
        Assert.Equal(status, (await SendAfter(Get(), TimeSpan.FromSeconds(1))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAfter(Get(), TimeSpan.Zero)).StatusCode);
    }

    [Fact]
    public async Task Five_connection_failures_of_a_get_with_a_session_end_the_session_with_a_404()
    {
        for (var failure = 1; failure <= 4; failure++)
        {
            _answers.Enqueue(Refused);
            await Assert.ThrowsAsync<HttpRequestException>(() => SendAfter(Get(), failure == 1 ? TimeSpan.Zero : SessionGuardHandler.GetBackoff(failure - 1)));
        }

        _answers.Enqueue(Refused);
        var request = Get();
        using var response = await SendAfter(request, SessionGuardHandler.GetBackoff(4));

        await AssertSessionExpiredAsync(request, response);
        Assert.Equal(5, _upstream.Requests.Count);
    }

    [Fact]
    public async Task Connection_failures_of_a_get_without_a_session_keep_failing()
    {
        for (var failure = 1; failure <= 7; failure++)
        {
            _answers.Enqueue(Refused);
            await Assert.ThrowsAsync<HttpRequestException>(() => SendAfter(Get(session: false), failure == 1 ? TimeSpan.Zero : SessionGuardHandler.GetBackoff(failure - 1)));
        }
    }

    [Fact]
    public async Task Posts_are_never_delayed_and_their_failures_do_not_count()
    {
        _answers.Enqueue(Refused);
        await Assert.ThrowsAsync<HttpRequestException>(() => SendAfter(Get(), TimeSpan.Zero));

        for (var post = 0; post < 6; post++)
        {
            _answers.Enqueue(Refused);
            await Assert.ThrowsAsync<HttpRequestException>(() => SendAfter(Post(), TimeSpan.Zero));
        }

        _answers.Enqueue(Refused);
        await Assert.ThrowsAsync<HttpRequestException>(() => SendAfter(Get(), TimeSpan.FromMilliseconds(500)));
        Assert.Equal(HttpStatusCode.OK, (await SendAfter(Get(), TimeSpan.FromSeconds(1))).StatusCode);
    }

    [Theory]
    [InlineData(ServerEverythingUnknownSession, "application/json")]
    [InlineData("""{"error":"Session not found"}""", "application/json")]
    [InlineData("Bad Request: no VALID session ID provided", "text/plain")]
    [InlineData("session NOT FOUND", "text/html")]
    public async Task A_400_saying_the_session_is_unknown_becomes_a_404(string body, string mediaType)
    {
        _answers.Enqueue((_, _) => Task.FromResult(FakeHttpHandler.Text(HttpStatusCode.BadRequest, body, mediaType)));
        var request = Post();

        using var response = await SendAfter(request, TimeSpan.Zero);

        await AssertSessionExpiredAsync(request, response);
    }

    [Fact]
    public async Task A_get_answered_400_for_an_unknown_session_becomes_a_404_too()
    {
        _answers.Enqueue((_, _) => Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.BadRequest, ServerEverythingUnknownSession)));
        var request = Get();

        await AssertSessionExpiredAsync(request, await SendAfter(request, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params: name is required"}}""", "application/json")]
    [InlineData("""{"jsonrpc":"2.0","id":null,"error":{"code":-32022,"message":"Unsupported protocol version","data":{"supported":["2025-11-25"]}}}""", "application/json")]
    [InlineData("Bad Request: \u00e9t\u00e9 ✓ valid session", "text/plain")]
    [InlineData("", "application/json")]
    public async Task Any_other_400_with_a_session_is_passed_through_intact(string body, string mediaType)
    {
        _answers.Enqueue((_, _) => Task.FromResult(FakeHttpHandler.Text(HttpStatusCode.BadRequest, body, mediaType)));
        var request = Post();

        using var response = await SendAfter(request, TimeSpan.Zero);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task A_400_without_a_session_is_not_touched()
    {
        var original = FakeHttpHandler.Json(HttpStatusCode.BadRequest, ServerEverythingUnknownSession);
        _answers.Enqueue((_, _) => Task.FromResult(original));

        using var response = await SendAfter(Post(session: false), TimeSpan.Zero);

        Assert.Same(original, response);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.OK)]
    public async Task Other_statuses_with_a_session_are_not_touched(HttpStatusCode status)
    {
        var original = FakeHttpHandler.Json(status, """{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"No valid session"}}""");
        _answers.Enqueue((_, _) => Task.FromResult(original));

        using var response = await SendAfter(Post(), TimeSpan.Zero);

        Assert.Same(original, response);
    }

    [Fact]
    public async Task The_delete_timeout_follows_the_injected_clock()
    {
        _answers.Enqueue(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var deleting = _client.SendAsync(Delete(), Cancellation);

        _time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deleting.WaitAsync(TimeSpan.FromSeconds(1), Cancellation));
    }

    [Fact]
    public async Task A_delete_that_answers_in_time_is_passed_through()
    {
        var original = new HttpResponseMessage(HttpStatusCode.NoContent);
        _answers.Enqueue((_, _) => Task.FromResult(original));

        Assert.Same(original, await SendAfter(Delete(), TimeSpan.Zero));
        Assert.Equal(HttpMethod.Delete, Assert.Single(_upstream.Requests).Method);
    }

    /// <summary>Sends, and checks the request reaches the upstream only once <paramref name="wait"/> has passed on the fake clock.</summary>
    private async Task<HttpResponseMessage> SendAfter(HttpRequestMessage request, TimeSpan wait)
    {
        var before = _upstream.Requests.Count;
        var sending = _client.SendAsync(request, Cancellation);
        if (wait > TimeSpan.Zero)
        {
            Assert.False(sending.IsCompleted, "the request went out without waiting");
            _time.Advance(wait - TimeSpan.FromMilliseconds(1));
            Assert.False(sending.IsCompleted, $"the request went out before {wait}");
            Assert.Equal(before, _upstream.Requests.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        return await sending.WaitAsync(TimeSpan.FromSeconds(10), Cancellation);
    }

    private static async Task AssertSessionExpiredAsync(HttpRequestMessage request, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Frames.SameJson("""{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}""",
            JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation)));
    }

    private static Task<HttpResponseMessage> Refused(HttpRequestMessage request, CancellationToken cancellationToken)
        => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (upstream.test:80)", new SocketException((int)SocketError.ConnectionRefused));

    private static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Status(HttpStatusCode status)
        => (_, _) => Task.FromResult(new HttpResponseMessage(status));

    private static HttpRequestMessage Get(bool session = true) => WithSession(new HttpRequestMessage(HttpMethod.Get, Upstream), session);

    private static HttpRequestMessage Post(bool session = true)
        => WithSession(new HttpRequestMessage(HttpMethod.Post, Upstream) { Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""") }, session);

    private static HttpRequestMessage Delete() => WithSession(new HttpRequestMessage(HttpMethod.Delete, Upstream), session: true);

    private static HttpRequestMessage WithSession(HttpRequestMessage request, bool session)
    {
        if (session)
        {
            request.Headers.Add("Mcp-Session-Id", "b1f2c3d4");
        }

        return request;
    }
}
