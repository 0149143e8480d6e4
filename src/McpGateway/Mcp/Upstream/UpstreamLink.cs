using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpGateway.Connectors;
using McpGateway.Mcp.Resumable;
using McpGateway.Mcp.StreamableHttp;
using McpGateway.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// A browser socket's link to its upstream MCP session. It connects on first use, gives each relayed
/// request an id of its own (so browser ids can never collide with the gateway's), matches the
/// answers, and when the upstream loses the session it opens a new one, replays the browser's
/// <c>initialize</c> and retries the request once: the browser does not notice.
/// </summary>
internal sealed class UpstreamLink(
    IUpstreamSessionFactory factory,
    SessionId session,
    Func<JsonRpcMessage, CancellationToken, Task> toBrowser,
    Func<JsonRpcRequest, CancellationToken, Task<JsonRpcMessage?>> answerLocally,
    ILogger logger,
    Connector? connector = null) : IBridgeUpstream
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    // The browser's id of each request travels in its Pending: a cancellation is rare, a second table per socket is not needed.
    private readonly ConcurrentDictionary<long, Pending> _pending = new(concurrencyLevel: 1, capacity: 7);
    private readonly CancellationTokenSource _disposed = new();
    private IUpstreamSession? _current;
    private JsonRpcRequest? _initialize;
    private JsonRpcNotification? _initialized;
    private string? _knownSessionId;
    private long _nextId;
    private int _disposedFlag;
    private int _detaching;

    /// <summary>The upstream's session id, while connected to a server that issued one.</summary>
    public string? UpstreamSessionId => Volatile.Read(ref _current)?.SessionId;

    /// <summary>
    /// The session a resumed socket would join: the connected one's id, or the one this link was resumed with and has
    /// not joined yet (a resumed routed session connects each link on its first use).
    /// </summary>
    public string? ResumableSessionId => Volatile.Read(ref _current)?.SessionId ?? Volatile.Read(ref _knownSessionId);

    /// <summary>One server is no router: no connector map.</summary>
    public IReadOnlyDictionary<string, ConnectorSessionBinding>? ConnectorSessions => null;

    public Action? SessionsChanged { get; set; }

    /// <summary>The revision the server answered the last <c>initialize</c> with (or the one a resumed session was stored with).</summary>
    public string? ProtocolVersion { get; set; }

    /// <summary>The client's <c>initialize</c>, once it succeeded: what a resumed link replays if the upstream loses the session.</summary>
    public JsonRpcRequest? Initialize => _initialize;

    /// <summary>
    /// Before first use: join the upstream session another replica opened (already initialized by
    /// <paramref name="initialize"/>) instead of opening one.
    /// </summary>
    public void Resume(string? upstreamSessionId, JsonRpcRequest initialize, IReadOnlyDictionary<string, ConnectorSessionBinding>? connectors = null, string? protocolVersion = null)
    {
        _knownSessionId = upstreamSessionId;
        ProtocolVersion = protocolVersion ?? ProtocolVersion;
        _initialize = initialize;
        _initialized = new JsonRpcNotification { Method = NotificationMethods.InitializedNotification };

        // The session's earlier requests had ids from 1 up on another replica: this one's start far above them.
        _nextId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    }

    /// <summary>A resumable socket's record of its unanswered calls (so that another replica can deliver their answers).</summary>
    public InFlightJournal? Journal { get; set; }

    /// <summary>
    /// After a resumed <c>initialize</c>: the answers of the <paramref name="calls"/> the lost socket left unanswered are read
    /// from their upstream streams (resumed after their recorded events) and sent to the browser with its ids; a call
    /// whose answer cannot be had (or not <paramref name="within"/> the request timeout) gets an error saying so. A call
    /// another link relayed (its connector is not this link's) cannot be had here.
    /// </summary>
    public void Recover(IReadOnlyList<InFlightCall> calls, TimeSpan within)
    {
        foreach (var call in calls)
        {
            _ = call.Key.Connector == connector?.Name ? RecoverAsync(call, within) : AnswerLostAsync(call);
        }
    }

    /// <summary>
    /// The browser's <paramref name="initialize"/> did not reach this link's server (it failed, or was refused): the
    /// current session, if any, is dropped, and the next use opens a new one and initializes it with this request.
    /// </summary>
    public async Task ExpectInitializeAsync(JsonRpcRequest initialize)
    {
        _initialize = initialize;
        _initialized ??= new JsonRpcNotification { Method = NotificationMethods.InitializedNotification };
        if (Volatile.Read(ref _current) is { } current)
        {
            await ForgetAsync(current);
        }
    }

    /// <summary>Relays a request and returns the upstream's answer with the browser's id.</summary>
    public async Task<JsonRpcMessage> RequestAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var upstream = await ConnectedAsync(cancellationToken);
            try
            {
                var answer = await ExchangeAsync(upstream, request, cancellationToken);
                if (request.Method == GatewayMethods.Initialize && answer is JsonRpcResponse initialized)
                {
                    _initialize = request;
                    ProtocolVersion = GatewayRequestHandler.Text(initialized.Result, "protocolVersion");
                    SessionsChanged?.Invoke();
                }

                return answer;
            }
            catch (UpstreamSessionLostException ex) when (attempt == 0 && request.Method != GatewayMethods.Initialize)
            {
                // Lost before the request reached it: a new session (re-initialized if the browser had
                // initialized this one; 2026-07-28 sessions need no handshake) and one retry are safe.
                McpLog.UpstreamSessionLost(logger, ex.Message);
                await ForgetAsync(upstream);
            }
        }
    }

    /// <summary>Relays a notification; <c>notifications/cancelled</c> is pointed at the upstream's id of the request.</summary>
    public async Task NotifyAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        if (notification.Method == NotificationMethods.InitializedNotification)
        {
            _initialized = notification;
        }

        if (notification.Method == NotificationMethods.CancelledNotification
            && notification.Params?["requestId"] is JsonValue requested
            && ToRequestId(requested) is { } browserId)
        {
            if (UpstreamIdOf(browserId) is not { } upstreamId)
            {
                return;
            }

            var parameters = notification.Params.DeepClone().AsObject();
            parameters["requestId"] = upstreamId;
            notification = new JsonRpcNotification { Method = notification.Method, Params = parameters };
        }

        var upstream = await ConnectedAsync(cancellationToken);
        await upstream.SendAsync(notification, cancellationToken);
    }

    /// <summary>Relays the browser's answer to a server-to-client request (ids are the server's own).</summary>
    public async Task AnswerAsync(JsonRpcMessage answer, CancellationToken cancellationToken)
    {
        var upstream = await ConnectedAsync(cancellationToken);
        await upstream.SendAsync(answer, cancellationToken);
    }

    public ValueTask DisposeAsync() => CloseAsync(detach: false);

    /// <summary>Closes the link but leaves the upstream session open: the browser will resume it, maybe on another replica.</summary>
    public ValueTask DetachAsync() => CloseAsync(detach: true);

    private async ValueTask CloseAsync(bool detach)
    {
        if (Interlocked.Exchange(ref _disposedFlag, 1) != 0)
        {
            return;
        }

        Volatile.Write(ref _detaching, detach ? 1 : 0);
        await _disposed.CancelAsync();
        if (Interlocked.Exchange(ref _current, null) is { } upstream)
        {
            await (detach ? upstream.DetachAsync() : upstream.DisposeAsync());
        }
        else if (!detach && Interlocked.Exchange(ref _knownSessionId, null) is { } known)
        {
            await EndUnusedAsync(known);
        }

        FailPending(null, new UpstreamUnavailableException("the socket closed"));
        _disposed.Dispose();
        _connecting.Dispose();
    }

    /// <summary>A resumed session that was never used here but ends for good: joined only to be ended (the SDK's DELETE).</summary>
    private async Task EndUnusedAsync(string known)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var joined = connector is not null ? await factory.ConnectAsync(connector, session, known, timeout.Token)
                : await factory.ConnectAsync(session, known, timeout.Token);
            await joined.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: the server ends an abandoned session on its own.
            McpLog.UpstreamRequestFailed(logger, "DELETE", ex.GetType().Name);
        }
    }

    private async Task<JsonRpcMessage> ExchangeAsync(IUpstreamSession upstream, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonRpcMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = new Pending(upstream, answer, request.Id);
        var tracked = Journal?.Track(id, request.Id);
        try
        {
            JsonRpcMessage? direct;
            try
            {
                direct = await upstream.RequestAsync(
                    new JsonRpcRequest { Id = new RequestId(id), Method = request.Method, Params = request.Params }, tracked is null ? null : tracked.Seen, cancellationToken);
            }
            catch (UpstreamRejectedException rejected)
            {
                return new JsonRpcError { Id = request.Id, Error = rejected.Error };
            }

            // Read from the request's own response, or (a WebSocket upstream, or behind other messages) matched by the pump.
            return (direct ?? await answer.Task.WaitAsync(cancellationToken)) switch
            {
                JsonRpcError error => new JsonRpcError { Id = request.Id, Error = error.Error },
                JsonRpcResponse response => new JsonRpcResponse { Id = request.Id, Result = response.Result },
                var other => other,
            };
        }
        finally
        {
            _pending.TryRemove(id, out _);

            // A call cut off by a lost socket stays recorded: the replica the browser reconnects to delivers its answer.
            if (Volatile.Read(ref _detaching) == 0)
            {
                tracked?.End();
            }
        }
    }

    private async Task RecoverAsync(InFlightCall call, TimeSpan within)
    {
        var answer = new TaskCompletionSource<JsonRpcMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        deadline.CancelAfter(within);
        JsonRpcMessage delivered;
        try
        {
            var upstream = await ConnectedAsync(deadline.Token);
            _pending[call.Key.UpstreamId] = new Pending(upstream, answer, call.BrowserId);
            var direct = await upstream.ResumeRequestAsync(new RequestId(call.Key.UpstreamId), call.EventId, deadline.Token);
            delivered = (direct ?? await answer.Task.WaitAsync(deadline.Token)) switch
            {
                JsonRpcError error => new JsonRpcError { Id = call.BrowserId, Error = error.Error },
                JsonRpcResponse response => new JsonRpcResponse { Id = call.BrowserId, Result = response.Result },
                var other => other,
            };
            McpLog.InFlightCallRecovered(logger);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            McpLog.InFlightCallNotRecovered(logger, "Timeout");
            delivered = JsonRpcCodec.Error(call.BrowserId, (McpErrorCode)BridgeErrorCodes.RequestTimeout,
                $"No answer within {within.TotalSeconds:F0} s of resuming this call on another connection: it may or may not have run.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever went wrong, the browser waits for this id: it gets an answer.
            McpLog.InFlightCallNotRecovered(logger, ex.GetType().Name);
            delivered = LostAnswer(call);
        }
        finally
        {
            _pending.TryRemove(call.Key.UpstreamId, out _);
        }

        if (Volatile.Read(ref _detaching) == 0)
        {
            Journal?.Forget(call);
        }

        await DeliverRecoveredAsync(delivered);
    }

    /// <summary>A call no link of this session can resume (the gateway's connectors changed since it was relayed).</summary>
    private async Task AnswerLostAsync(InFlightCall call)
    {
        McpLog.InFlightCallNotRecovered(logger, "UnknownConnector");
        Journal?.Forget(call);
        await DeliverRecoveredAsync(LostAnswer(call));
    }

    private async Task DeliverRecoveredAsync(JsonRpcMessage answer)
    {
        try
        {
            await toBrowser(answer, _disposed.Token);
        }
        catch (OperationCanceledException)
        {
            // The socket closed again: the call stays recorded only if it was lost again (above).
        }
    }

    private static JsonRpcError LostAnswer(InFlightCall call)
        => JsonRpcCodec.Error(call.BrowserId, (McpErrorCode)BridgeErrorCodes.UpstreamUnavailable,
            "The answer to this call was lost with the connection that relayed it, and the MCP server could not give it again: the call may or may not have run.");

    private async Task<IUpstreamSession> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } current)
        {
            return current;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } connected)
            {
                return connected;
            }

            // A known session (resumed from another replica) is joined once; after a loss a new one is opened.
            var known = Interlocked.Exchange(ref _knownSessionId, null);
            var upstream = connector is not null ? await factory.ConnectAsync(connector, session, known, cancellationToken)
                : known is null ? await factory.ConnectAsync(session, cancellationToken)
                : await factory.ConnectAsync(session, known, cancellationToken);
            if (known is not null)
            {
                upstream.Joined(ProtocolVersion);
            }

            _ = PumpAsync(upstream);
            if (_initialize is not null && known is null)
            {
                try
                {
                    // A new session after a lost one: the browser initialized the old one, so the gateway initializes this one.
                    var reinitialized = await ExchangeAsync(upstream, new JsonRpcRequest { Id = new RequestId("gateway-reinitialize"), Method = _initialize.Method, Params = _initialize.Params }, cancellationToken);
                    ProtocolVersion = GatewayRequestHandler.Text((reinitialized as JsonRpcResponse)?.Result, "protocolVersion") ?? ProtocolVersion;
                    await upstream.SendAsync(_initialized ?? new JsonRpcNotification { Method = NotificationMethods.InitializedNotification }, cancellationToken);
                }
                catch
                {
                    await upstream.DisposeAsync();
                    throw;
                }

                McpLog.UpstreamSessionRestored(logger);
            }

            _current = upstream;
            if (known is null)
            {
                SessionsChanged?.Invoke();
            }

            return upstream;
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Reads the upstream session until it ends; answers go to their waiting requests, the rest to the browser.</summary>
    private async Task PumpAsync(IUpstreamSession upstream)
    {
        try
        {
            await foreach (var message in upstream.Messages.ReadAllAsync(_disposed.Token))
            {
                switch (message)
                {
                    case JsonRpcMessageWithId answer and (JsonRpcResponse or JsonRpcError)
                        when answer.Id.Id is long id && _pending.TryGetValue(id, out var waiting):
                        waiting.Answer.TrySetResult(answer);
                        break;

                    case JsonRpcRequest request:
                        _ = HandleServerRequestAsync(upstream, request);
                        break;

                    case JsonRpcNotification notification:
                        await toBrowser(notification, _disposed.Token);
                        break;

                    default:
                        McpLog.UnmatchedUpstreamAnswer(logger);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            McpLog.UpstreamReadFailed(logger, ex.GetType().Name);
        }

        // Requests still waiting on this session will get no answer: they fail now, not at their timeout.
        // They are not retried: the upstream may have acted on them.
        FailPending(upstream, new UpstreamUnavailableException("the connection closed while the request was in flight"));

        // The session ended under us: the next request opens a new one.
        if (Interlocked.CompareExchange(ref _current, null, upstream) == upstream)
        {
            await upstream.DisposeAsync();
        }
    }

    private async Task HandleServerRequestAsync(IUpstreamSession upstream, JsonRpcRequest request)
    {
        try
        {
            if (await answerLocally(request, _disposed.Token) is { } answer)
            {
                await upstream.SendAsync(answer, _disposed.Token);
                return;
            }

            await toBrowser(request, _disposed.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or UpstreamUnavailableException or UpstreamSessionLostException or SessionEndedException)
        {
            McpLog.ServerRequestNotRelayed(logger, request.Method, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            // The server must not wait for an answer that will never come.
            McpLog.ServerRequestNotRelayed(logger, request.Method, ex.GetType().Name);
            await TryAnswerAsync(upstream, JsonRpcCodec.Error(request.Id, McpErrorCode.InternalError, "The gateway could not handle the request."));
        }
    }

    private async Task TryAnswerAsync(IUpstreamSession upstream, JsonRpcMessage answer)
    {
        try
        {
            await upstream.SendAsync(answer, _disposed.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or UpstreamUnavailableException or UpstreamSessionLostException or SessionEndedException or UpstreamRejectedException)
        {
            McpLog.ServerRequestNotRelayed(logger, "error answer", ex.GetType().Name);
        }
    }

    private async Task ForgetAsync(IUpstreamSession upstream)
    {
        if (Interlocked.CompareExchange(ref _current, null, upstream) == upstream)
        {
            await upstream.DisposeAsync();
        }
    }

    /// <summary>Fails the requests waiting on <paramref name="session"/> (all of them when null).</summary>
    private void FailPending(IUpstreamSession? session, Exception reason)
    {
        foreach (var waiting in _pending.Values.Where(waiting => session is null || waiting.Session == session))
        {
            waiting.Answer.TrySetException(reason);
        }
    }

    private long? UpstreamIdOf(RequestId browserId)
    {
        foreach (var (id, waiting) in _pending)
        {
            if (waiting.BrowserId == browserId)
            {
                return id;
            }
        }

        return null;
    }

    private static RequestId? ToRequestId(JsonValue value)
        => value.TryGetValue<string>(out var text) ? new RequestId(text)
            : value.TryGetValue<long>(out var number) ? new RequestId(number)
            : null;

    private sealed record Pending(IUpstreamSession Session, TaskCompletionSource<JsonRpcMessage> Answer, RequestId BrowserId);
}
