using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// An upstream MCP session over Streamable HTTP, the gateway's own thin client of the transport: each message is one
/// POST from the relayed bytes' parse, and a request's answer is read from its response (JSON or an event stream) and
/// handed straight back to the caller, without a channel or a second serialization between. What else the server
/// sends (notifications and requests on a POST's stream, and on the standalone GET stream, which
/// <see cref="StandaloneStreamReader"/> opens only when <see cref="StandaloneStreamRule"/> says the server may use it)
/// goes to <see cref="Messages"/>. A POST stream that breaks before its answer is resumed with <c>Last-Event-ID</c>.
/// </summary>
internal sealed class StreamableHttpUpstream : IUpstreamSession
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DefaultReconnectionInterval = TimeSpan.FromSeconds(1);

    // A resumed stream without an event for this long is asked for again from its last event: some servers' event
    // stores replay what they kept but do not attach the new connection to the stream (the MCP reference server's),
    // so what the server sends later reaches only the next resume. One GET per silence, while the answer is awaited.
    private static readonly TimeSpan ResumedStreamSilence = TimeSpan.FromSeconds(5);
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<JsonRpcMessage> _messages = SessionMessageChannel.Create<JsonRpcMessage>();
    private readonly CancellationTokenSource _closed = new();
    private readonly StandaloneStreamReader _standalone;
    private Task? _standaloneRun;
    private string? _sessionId;
    private string? _protocolVersion;
    private bool _clientInvitesRequests;
    private bool _serverMaySend;
    private int _lost;
    private int _detached;
    private int _disposed;

    private StreamableHttpUpstream(Uri endpoint, HttpClient http, string? knownSessionId, TimeProvider time, ILogger logger)
    {
        _endpoint = endpoint;
        _http = http;
        _sessionId = knownSessionId;
        _time = time;
        _logger = logger;
        _standalone = new StandaloneStreamReader(http, endpoint, () => Volatile.Read(ref _sessionId), () => Volatile.Read(ref _protocolVersion), _messages.Writer, time, logger);
    }

    public ChannelReader<JsonRpcMessage> Messages => _messages.Reader;

    public string? SessionId => Volatile.Read(ref _sessionId);

    /// <summary>Whether the standalone stream was opened (for the tests).</summary>
    internal bool StandaloneStreamOpened => Volatile.Read(ref _standaloneRun) is not null;

    /// <summary>A session on <paramref name="endpoint"/>, joining <paramref name="knownSessionId"/> when given; it owns <paramref name="http"/>.</summary>
    public static Task<StreamableHttpUpstream> ConnectAsync(
        Uri endpoint, HttpClient http, ILoggerFactory loggers, string? knownSessionId, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new StreamableHttpUpstream(endpoint, http, knownSessionId, time ?? TimeProvider.System, loggers.CreateLogger<StreamableHttpUpstream>()));
    }

    public void Joined(string? protocolVersion)
    {
        // Every request from now on carries the revision the session was initialized with on the other replica.
        if (protocolVersion is not null)
        {
            Interlocked.CompareExchange(ref _protocolVersion, protocolVersion, null);
        }

        // What the browser negotiated there (its capabilities, the server's) is not known here, so the stream is kept.
        OpenStandaloneStream("resumed session");
    }

    /// <summary>Sends <paramref name="request"/> and returns its answer, or <see langword="null"/> when it was passed to <see cref="Messages"/> behind what the server sent before it.</summary>
    public async Task<JsonRpcMessage?> RequestAsync(JsonRpcRequest request, Action<string>? eventSeen, CancellationToken cancellationToken)
    {
        Refuse(request);
        Observe(request);
        var cursor = new StreamCursor(request.Id, eventSeen);
        var answer = await ExchangeAsync(request, cursor, cancellationToken)
            ?? throw new UpstreamUnavailableException("the answer stream ended without a reply");
        if (answer is JsonRpcResponse response)
        {
            ObserveAnswer(request, response);
        }

        return await InOrderAsync(answer, cursor, cancellationToken);
    }

    public async Task<JsonRpcMessage?> ResumeRequestAsync(RequestId awaited, string lastEventId, CancellationToken cancellationToken)
    {
        var cursor = new StreamCursor(awaited, lastEventId: lastEventId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        try
        {
            var answer = await ResumeAsync(cursor, waitFirst: false, linked.Token)
                ?? throw new UpstreamUnavailableException("the server did not resume the request's stream up to its answer");
            return await InOrderAsync(answer, cursor, cancellationToken);
        }
        catch (Exception ex) when (Failure(ex, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public async Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (message is JsonRpcRequest request)
        {
            if (await RequestAsync(request, null, cancellationToken) is { } answer)
            {
                await _messages.Writer.WriteAsync(answer, cancellationToken);
            }

            return;
        }

        Refuse(message);
        await ExchangeAsync(message, new StreamCursor(null), cancellationToken);
        if (message is JsonRpcNotification { Method: NotificationMethods.InitializedNotification } && (_clientInvitesRequests || _serverMaySend))
        {
            OpenStandaloneStream(_clientInvitesRequests ? "the client declared sampling, elicitation or roots" : "the server announced notifications");
        }
    }

    /// <summary>Closes this end without ending the server's session (no DELETE): the browser resumes it, maybe on another replica.</summary>
    public ValueTask DetachAsync()
    {
        Interlocked.Exchange(ref _detached, 1);
        return DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closed.CancelAsync();
        if (Volatile.Read(ref _standaloneRun) is { } standalone)
        {
            await standalone;
        }

        if (Volatile.Read(ref _detached) == 0 && Volatile.Read(ref _lost) == 0 && SessionId is { } session)
        {
            await EndSessionAsync(session);
        }

        _messages.Writer.TryComplete();
        _http.Dispose();
    }

    /// <summary>One POST; for a request, its answer (read from the response, or from the resumed stream if that broke).</summary>
    private async Task<JsonRpcMessageWithId?> ExchangeAsync(JsonRpcMessage message, StreamCursor cursor, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        try
        {
            using var post = UpstreamRequests.Post(_endpoint, message, SessionId, Volatile.Read(ref _protocolVersion));
            using var response = await _http.SendAsync(post, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                var refusal = await UpstreamRefusals.TranslateAsync(response, linked.Token);
                if (refusal is UpstreamSessionLostException && SessionId is not null)
                {
                    Lose();
                }

                throw refusal;
            }

            if (message is JsonRpcRequest { Method: RequestMethods.Initialize } && response.Headers.TryGetValues(UpstreamRequests.SessionHeader, out var issued))
            {
                Volatile.Write(ref _sessionId, issued.FirstOrDefault());
            }

            if (cursor.Awaited is null)
            {
                return null;
            }

            try
            {
                if (await UpstreamResponseReader.ReadAsync(response, cursor, _messages.Writer, linked.Token) is { } answer)
                {
                    return answer;
                }
            }
            catch (IOException) when (cursor.LastEventId is not null)
            {
                // The stream broke after an event the server can resume from.
            }

            return cursor.LastEventId is null ? null : await ResumeAsync(cursor, waitFirst: true, linked.Token);
        }
        catch (Exception ex) when (Failure(ex, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>What a failed exchange means for the bridge (<see langword="null"/>: rethrow it as it is, e.g. the caller's cancellation).</summary>
    private static Exception? Failure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,

        // This end was closed, or the server forgot the session under another request: a new session is needed.
        OperationCanceledException or ChannelClosedException => new UpstreamSessionLostException("the transport was closed", exception),
        IOException => new UpstreamUnavailableException("the answer stream broke without a reply", exception),

        // Never the exception's message: it may carry what the server answered.
        HttpRequestException http => new UpstreamUnavailableException(http.StatusCode is { } status ? $"it answered HTTP {(int)status}" : "it cannot be reached", exception),
        _ => null,
    };

    /// <summary>The answer, unless messages read before it were queued: then it is queued behind them, and <see langword="null"/> returned.</summary>
    private async ValueTask<JsonRpcMessage?> InOrderAsync(JsonRpcMessageWithId answer, StreamCursor cursor, CancellationToken cancellationToken)
    {
        if (!cursor.Forwarded)
        {
            return answer;
        }

        await _messages.Writer.WriteAsync(answer, cancellationToken);
        return null;
    }

    /// <summary>
    /// The stream of a request ended before its answer: GET it again after its last event, as the transport allows, up to
    /// <see cref="StandaloneStreamReader.MaxReconnectAttempts"/> times in a row without progress; a resumed stream silent
    /// for <see cref="ResumedStreamSilence"/> is asked for again (that is no failure: the caller's deadline bounds it).
    /// </summary>
    private async Task<JsonRpcMessageWithId?> ResumeAsync(StreamCursor cursor, bool waitFirst, CancellationToken cancellationToken)
    {
        for (var failures = 0; failures < StandaloneStreamReader.MaxReconnectAttempts;)
        {
            if (waitFirst)
            {
                await Task.Delay(cursor.RetryInterval ?? DefaultReconnectionInterval, _time, cancellationToken);
            }

            McpLog.UpstreamStreamResumed(_logger);
            var before = cursor.LastEventId;
            using var silence = new CancellationTokenSource(ResumedStreamSilence, _time);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
            cursor.Heard = () => silence.CancelAfter(ResumedStreamSilence);
            try
            {
                using var get = UpstreamRequests.Get(_endpoint, SessionId, Volatile.Read(ref _protocolVersion), cursor.LastEventId);
                using var response = await _http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
                if (response.StatusCode == HttpStatusCode.NotFound && SessionId is not null)
                {
                    Lose();
                    return null;
                }

                if (!response.IsSuccessStatusCode && response.StatusCode < HttpStatusCode.InternalServerError && response.StatusCode != HttpStatusCode.Conflict)
                {
                    // Reached, but not resumable: asking again will not change that. (409: the server has not yet seen
                    // the stream's old connection close, e.g. that of a replica that just died: worth another attempt.)
                    return null;
                }

                if (response.IsSuccessStatusCode && await UpstreamResponseReader.ReadAsync(response, cursor, _messages.Writer, attempt.Token) is { } answer)
                {
                    return answer;
                }
            }
            catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Silent: asked for again at once from the last event, without counting a failure.
                waitFirst = false;
                continue;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                // Not reached, or broke again: another attempt.
            }
            finally
            {
                cursor.Heard = null;
            }

            failures = cursor.LastEventId != before ? 0 : failures + 1;
            waitFirst = true;
        }

        return null;
    }

    private async Task EndSessionAsync(string session)
    {
        using var timeout = new CancellationTokenSource(DisposeTimeout);
        try
        {
            using var delete = UpstreamRequests.Delete(_endpoint, session, Volatile.Read(ref _protocolVersion));
            using var response = await _http.SendAsync(delete, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort (the server may not support DELETE): it ends an abandoned session on its own.
            McpLog.UpstreamRequestFailed(_logger, "DELETE", ex.GetType().Name);
        }
    }

    /// <summary>The server forgot the session: what is in flight ends, and the link sees the messages end and opens a new one.</summary>
    private void Lose()
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            _messages.Writer.TryComplete();
            _closed.Cancel();
        }
    }

    private static void Refuse(JsonRpcMessage message)
    {
        if (HeaderBoundValues.Problem(message) is { } refusal)
        {
            throw new UpstreamRejectedException(refusal);
        }
    }

    /// <summary>Notes what the browser asks for that may need the standalone stream; a subscription opens it at once.</summary>
    private void Observe(JsonRpcRequest request)
    {
        if (request.Method == RequestMethods.Initialize)
        {
            _clientInvitesRequests = StandaloneStreamRule.ClientInvitesRequests(request.Params);
        }
        else if (StandaloneStreamRule.RequestStartsTraffic(request.Method))
        {
            OpenStandaloneStream(request.Method);
        }
    }

    /// <summary>The server's answer to <c>initialize</c> (its capabilities, the revision for the headers), or to 2026-07-28's <c>server/discover</c>.</summary>
    private void ObserveAnswer(JsonRpcRequest request, JsonRpcResponse response)
    {
        if (request.Method == RequestMethods.Initialize)
        {
            _serverMaySend = StandaloneStreamRule.ServerMaySend(response.Result?["capabilities"]);
            Volatile.Write(ref _protocolVersion, response.Result?["protocolVersion"] is JsonValue version && version.TryGetValue<string>(out var text) ? text : null);
        }
        else if (request.Method == RequestMethods.ServerDiscover && Volatile.Read(ref _protocolVersion) is null)
        {
            Volatile.Write(ref _protocolVersion, UpstreamRequests.VersionOf(request));
        }
    }

    private void OpenStandaloneStream(string reason)
    {
        if (Volatile.Read(ref _standaloneRun) is not null || _closed.IsCancellationRequested)
        {
            return;
        }

        var run = new Task<Task>(RunStandaloneStreamAsync);
        if (Interlocked.CompareExchange(ref _standaloneRun, run.Unwrap(), null) is null)
        {
            McpLog.StandaloneStreamOpened(_logger, reason);
            run.Start(TaskScheduler.Default);
        }
    }

    private async Task RunStandaloneStreamAsync()
    {
        if (await _standalone.RunAsync(_closed.Token) == StandaloneStreamEnd.SessionLost)
        {
            Lose();
        }
    }
}
