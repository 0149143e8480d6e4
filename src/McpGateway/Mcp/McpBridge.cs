using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using McpGateway.Hosting.Telemetry;
using McpGateway.Limits;
using McpGateway.Mcp.Resumable;
using McpGateway.Mcp.StreamableHttp;
using McpGateway.Mcp.Upstream;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>
/// One browser MCP session (a WebSocket, or a Streamable HTTP session) bridged to one upstream MCP
/// session, or to several connectors through the <see cref="ConnectorRouter"/>. Messages come and go through the <see cref="IBrowserTransport"/>; requests run concurrently (each on its own task, bounded per socket), the gateway's own
/// methods are answered here, the rest is relayed by the <see cref="UpstreamLink"/>, and everything
/// the upstream sends comes back through the same dialect. Bad input gets a JSON-RPC error and the
/// socket stays open.
/// </summary>
internal sealed class McpBridge : IAsyncDisposable
{
    private readonly IBrowserTransport _browser;
    private readonly BridgeUser _user;
    private readonly GatewayRequestHandler _local;
    private readonly ResultAugmenter _augmenter;
    private readonly UserRateLimits _limits;
    private readonly GatewayTelemetry _telemetry;
    private readonly McpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IBridgeUpstream _upstream;
    private readonly ResumableSocket? _resumable;
    private readonly ConcurrentDictionary<RequestId, RequestCancellation> _inFlight = new(concurrencyLevel: 1, capacity: 7);
    private int _running;
    private readonly CancellationTokenSource _stopping = new();
    private int _draining;
    private long _lastActivity;
    private Task? _idleClose;
    private int _disposed;

    public McpBridge(
        string socketId,
        IBrowserTransport browser,
        BridgeUser user,
        IUpstreamSessionFactory upstreams,
        GatewayRequestHandler local,
        ResultAugmenter augmenter,
        UserRateLimits limits,
        GatewayTelemetry telemetry,
        McpOptions options,
        TimeProvider time,
        ILogger logger,
        ConnectorCatalog? connectors = null,
        ResumableSocket? resumable = null)
    {
        SocketId = socketId;
        _browser = browser;
        _user = user;
        _local = local;
        _augmenter = augmenter;
        _limits = limits;
        _telemetry = telemetry;
        _options = options;
        _time = time;
        _logger = logger;
        // One server whose names stay its own is relayed as it is; several go through the router.
        _upstream = connectors is null || connectors.IsSingleRelay
            ? new UpstreamLink(upstreams, user.Session, SendAsync, AnswerServerRequestAsync, logger)
            : new ConnectorRouter(connectors, upstreams, user.Session, SendAsync, AnswerServerRequestAsync, ListBound(options), logger);
        _resumable = resumable;
        if (resumable is not null)
        {
            // A session opened upstream (one server's after a loss, or a connector's, which the router opens lazily) is stored at once.
            _upstream.SessionsChanged = () => _ = resumable.SyncAsync(_upstream.UpstreamSessionId, _upstream.ConnectorSessions, CancellationToken.None);
            _upstream.Journal = resumable.Journal;
        }

        _lastActivity = time.GetTimestamp();
    }

    public string SocketId { get; }

    public BridgeUser User => _user;

    /// <summary>What the bridge runs over (<see cref="IBrowserTransport.Kind"/>).</summary>
    public string Kind => _browser.Kind;

    /// <summary>When a message last went either way (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    /// <summary>Whether a request of the browser is in flight.</summary>
    public bool IsBusy => !_inFlight.IsEmpty;

    /// <summary>The upstream's session id, once connected (Streamable HTTP upstreams).</summary>
    public string? UpstreamSessionId => _upstream.UpstreamSessionId;

    /// <summary>The browser's successful <c>initialize</c>, if any.</summary>
    public JsonRpcRequest? Initialize => _upstream.Initialize;

    /// <summary>Behind the router, each connector's upstream session so far (none for one server).</summary>
    public IReadOnlyDictionary<string, ConnectorSessionBinding>? ConnectorSessions => _upstream.ConnectorSessions;

    /// <summary>
    /// For a session whose binding its owner keeps (a Streamable HTTP session's): <paramref name="changed"/> is told when
    /// an upstream session is opened or replaced. A resumable socket keeps its own binding so already.
    /// </summary>
    public void WhenSessionsChange(Action changed)
    {
        if (_resumable is null)
        {
            _upstream.SessionsChanged = changed;
        }
    }

    /// <summary>
    /// Before <see cref="RunAsync"/>: continue a session another replica began (see <see cref="UpstreamLink.Resume"/>), behind
    /// the router with each connector's session in <paramref name="connectors"/>.
    /// </summary>
    public void Resume(string? upstreamSessionId, JsonRpcRequest initialize, IReadOnlyDictionary<string, ConnectorSessionBinding>? connectors = null, string? protocolVersion = null)
        => _upstream.Resume(upstreamSessionId, initialize, connectors, protocolVersion);

    public string ClosedStatus => _browser.Closed?.Status.ToString() ?? "none";

    public string ClosedReason => _browser.Closed?.Reason ?? "";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var sending = _browser.SendLoopAsync(linked.Token);
        var idleSweep = IdleSweep.On(_time);
        idleSweep.Watch(this);
        var refreshing = _resumable?.RefreshAsync(() => _upstream.UpstreamSessionId, () => _upstream.ConnectorSessions, linked.Token) ?? Task.CompletedTask;
        try
        {
            await _browser.ReceiveAsync(OnMessageAsync, error => new ValueTask(SendAsync(error, _stopping.Token)), linked.Token);
        }
        finally
        {
            idleSweep.Forget(this);
            await _stopping.CancelAsync();
            // A resumable session whose socket was lost (not closed by the user) keeps its upstream session: the browser reconnects to it.
            if (_resumable is not null && await _resumable.ReleaseAsync(_browser.Closed?.Status))
            {
                await _upstream.DetachAsync();
            }
            else
            {
                await _upstream.DisposeAsync();
            }

            await _browser.CloseAsync(WebSocketCloseStatus.NormalClosure, "Closing.");
            await Task.WhenAll(sending, Volatile.Read(ref _idleClose) ?? Task.CompletedTask, refreshing);
        }
    }

    /// <summary>
    /// Graceful shutdown: new requests are refused with <see cref="BridgeErrorCodes.Draining"/>, the ones in flight get up to
    /// <paramref name="timeout"/> to finish, then the connection is closed with <paramref name="status"/> (the client reconnects elsewhere).
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout, WebSocketCloseStatus status, string reason)
    {
        Interlocked.Exchange(ref _draining, 1);
        var started = _time.GetTimestamp();
        while (!_inFlight.IsEmpty && _time.GetElapsedTime(started) < timeout && !_stopping.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time);
        }

        await CloseAsync(status, reason);
    }

    /// <summary>Closes the socket from the gateway's side (session ended, shutdown, idle).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        await _browser.CloseAsync(status, reason);
        if (Volatile.Read(ref _disposed) == 0)
        {
            // The browser answers the close frame and the receive loop ends; one that does not is cut off.
            _stopping.CancelAfter(TimeSpan.FromSeconds(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _upstream.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>Sends a message to the browser, e.g. a context update published on another replica.</summary>
    public Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        Touch();
        return _browser.SendAsync(message, cancellationToken).AsTask();
    }

    private async ValueTask OnMessageAsync(JsonRpcMessage message)
    {
        Touch();
        switch (message)
        {
            case JsonRpcRequest request:
                await StartAsync(request);
                break;

            case JsonRpcNotification notification:
                await RelayAsync(notification);
                break;

            default:
                // The browser's answer to a server-to-client request (sampling, elicitation, roots, ping).
                await RelayAsync(message);
                break;
        }
    }

    private async ValueTask StartAsync(JsonRpcRequest request)
    {
        if (Volatile.Read(ref _draining) == 1)
        {
            _ = SendAsync(new JsonRpcError
            {
                Id = request.Id,
                Error = new JsonRpcErrorDetail { Code = BridgeErrorCodes.Draining, Message = "The gateway is restarting: send this request again on a new connection." },
            }, _stopping.Token);
            return;
        }

        if (request.Method == GatewayMethods.ToolsCall)
        {
            using var lease = await _limits.Tools.AcquireAsync(_user.Subject, cancellationToken: _stopping.Token);
            if (!lease.IsAcquired)
            {
                var retryAfter = RateLimitsFeature.RetryAfter(lease);
                _ = SendAsync(new JsonRpcError
                {
                    Id = request.Id,
                    Error = new JsonRpcErrorDetail { Code = BridgeErrorCodes.RateLimited, Message = $"Too many tool calls; retry in {retryAfter} s.", Data = new JsonObject { ["retryAfter"] = retryAfter } },
                }, _stopping.Token);
                return;
            }
        }

        var cancellation = new RequestCancellation(_options.RequestTimeout, _time, _stopping.Token);
        if (!_inFlight.TryAdd(request.Id, cancellation))
        {
            cancellation.Dispose();
            _ = SendAsync(JsonRpcCodec.Error(request.Id, McpErrorCode.InvalidRequest, $"A request with id {request.Id} is already in flight."), _stopping.Token);
            return;
        }

        // Only a count is needed here (nothing waits for a slot): a counter, not a semaphore.
        if (Interlocked.Increment(ref _running) > _options.MaxConcurrentRequestsPerSocket)
        {
            Interlocked.Decrement(ref _running);
            _inFlight.TryRemove(request.Id, out _);
            cancellation.Dispose();
            _ = SendAsync(new JsonRpcError
            {
                Id = request.Id,
                Error = new JsonRpcErrorDetail { Code = BridgeErrorCodes.TooManyRequests, Message = $"Too many requests in flight on this socket (at most {_options.MaxConcurrentRequestsPerSocket}); retry when one has finished." },
            }, _stopping.Token);
            return;
        }

        _ = HandleAsync(request, cancellation);
    }

    private async Task HandleAsync(JsonRpcRequest request, RequestCancellation cancellation)
    {
        using var activity = GatewayTelemetry.Source.StartActivity("mcp " + McpMethodNames.Tag(request.Method));
        activity?.SetTag("mcp.method", request.Method);
        activity?.SetTag("mcp.socket", SocketId);
        var started = _time.GetTimestamp();
        var outcome = "ok";
        string? upstreamTool = null;
        var token = cancellation.Token;
        try
        {
            // Only a valid name is a tool to count and log; an invalid one is refused without reaching the upstream.
            upstreamTool = _local.UpstreamToolName(request);
            var (answer, recovering) = _resumable is null ? (null, []) : await _resumable.AnswerInitializeAsync(request, token);
            if (answer is null)
            {
                answer = _augmenter.Augment(request, await _local.TryHandleAsync(request, _user, token)
                                                     ?? await _upstream.RequestAsync(request, token));
                if (_resumable is not null && request.Method == GatewayMethods.Initialize)
                {
                    answer = await _resumable.BindAsync(request, answer, _upstream.UpstreamSessionId, _upstream.ConnectorSessions, token);
                }
            }

            outcome = answer is JsonRpcError || IsErrorResult(answer) ? "error" : "ok";
            await SendAsync(answer, _stopping.Token);
            if (recovering.Count > 0)
            {
                _upstream.Recover(recovering, _options.RequestTimeout);
            }
        }
        catch (OperationCanceledException) when (cancellation.TimedOut)
        {
            outcome = "timeout";
            await SendAsync(Failure(request, BridgeErrorCodes.RequestTimeout, $"No answer within {_options.RequestTimeout.TotalSeconds:F0} s."), _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Cancelled by the browser (MCP: no answer follows a cancellation) or the socket is closing.
            outcome = "cancelled";
        }
        catch (SessionEndedException ex)
        {
            outcome = "session_ended";
            await CloseAsync(McpCloseCodes.SessionEnded, ex.Message);
        }
        catch (Exception ex) when (ex is ConnectorAuthorizationRequiredException or ConnectorInsufficientScopeException)
        {
            outcome = "authorization_required";
            await SendAsync(ConnectorRpcErrors.ToError(request.Id, Connector.DefaultName, ex)!, _stopping.Token);
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or UpstreamSessionLostException)
        {
            outcome = "unavailable";
            McpLog.UpstreamRequestFailed(_logger, request.Method, ex.Message);
            await SendAsync(Failure(request, BridgeErrorCodes.UpstreamUnavailable, "The MCP server is unavailable: " + ex.Message), _stopping.Token);
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the request is answered and its slot freed: one bad message never wedges a socket.
            outcome = "failed";
            McpLog.RequestFailed(_logger, request.Method, ex);
            await SendAsync(Failure(request, (int)McpErrorCode.InternalError, "The gateway could not handle the request; the failure was logged."), _stopping.Token);
        }
        finally
        {
            _inFlight.TryRemove(request.Id, out _);
            cancellation.Dispose();
            Interlocked.Decrement(ref _running);
            var elapsed = _time.GetElapsedTime(started);
            activity?.SetTag("outcome", outcome);
            _telemetry.RecordMcpRequest(McpMethodNames.Tag(request.Method), outcome, elapsed);
            if (upstreamTool is not null)
            {
                // The audit line of a tool that ran upstream; gateway tools write theirs where they run.
                _telemetry.RecordToolCall(upstreamTool, "upstream", outcome, elapsed);
                McpLog.UpstreamToolCalled(_logger, _user.Subject, upstreamTool, outcome, (long)elapsed.TotalMilliseconds);
            }
        }
    }

    /// <summary>A merged list waits for each server at most half the request's time: one that hangs is left out, the rest listed.</summary>
    private static TimeSpan ListBound(McpOptions options) => options.RequestTimeout / 2;

    private static bool IsErrorResult(JsonRpcMessage answer)
        => answer is JsonRpcResponse { Result: JsonObject result } && result["isError"] is JsonValue flag && flag.TryGetValue<bool>(out var isError) && isError;

    private async Task RelayAsync(JsonRpcMessage message)
    {
        try
        {
            await (message is JsonRpcNotification notification
                ? _upstream.NotifyAsync(notification, _stopping.Token)
                : _upstream.AnswerAsync(message, _stopping.Token));
        }
        catch (SessionEndedException ex)
        {
            await CloseAsync(McpCloseCodes.SessionEnded, ex.Message);
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or UpstreamSessionLostException or UpstreamRejectedException or OperationCanceledException
                                       or ConnectorAuthorizationRequiredException or ConnectorInsufficientScopeException)
        {
            McpLog.UpstreamRequestFailed(_logger, (message as JsonRpcNotification)?.Method ?? "response", ex.Message);
        }

        // After relaying (which needs the request's upstream id), stop the request here: a gateway-handled
        // one ends, a relayed one stops waiting for its stream. MCP: no answer follows a cancellation.
        if (message is JsonRpcNotification { Method: NotificationMethods.CancelledNotification, Params: JsonObject parameters }
            && parameters["requestId"] is JsonValue requestId
            && _inFlight.FirstOrDefault(pair => pair.Key.ToString() == requestId.ToString()).Value is { } cancellation)
        {
            await cancellation.CancelByBrowserAsync();
        }
    }

    /// <summary>The upstream calls one of the gateway's tools (the seed's <c>tool_call</c>): run it, answer, tell the browser.</summary>
    private async Task<JsonRpcMessage?> AnswerServerRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        if (_local.GatewayToolName(request) is not { } tool)
        {
            return null;
        }

        McpLog.UpstreamCalledGatewayTool(_logger, tool);
        var answer = await _local.TryHandleAsync(request, _user, cancellationToken);
        var isError = answer is null or JsonRpcError || IsErrorResult(answer);
        await SendAsync(new JsonRpcNotification
        {
            Method = GatewayMethods.ToolExecuted,
            Params = new JsonObject { ["name"] = tool, ["isError"] = isError, ["result"] = (answer as JsonRpcResponse)?.Result?.DeepClone() },
        }, cancellationToken);
        return answer;
    }

    /// <summary>
    /// Asked by the <see cref="IdleSweep"/> once a second: closes the socket with <see cref="McpCloseCodes.IdleTimeout"/>
    /// when no message went either way for <see cref="McpOptions.IdleTimeout"/> and no request is in flight.
    /// </summary>
    /// <returns>Whether it began to close (the sweep then forgets it).</returns>
    internal bool CloseIfIdle()
    {
        if (_stopping.IsCancellationRequested || !_inFlight.IsEmpty || _time.GetElapsedTime(Interlocked.Read(ref _lastActivity)) < _options.IdleTimeout)
        {
            return false;
        }

        // Awaited by RunAsync before it returns, as the close of any other cause is.
        Volatile.Write(ref _idleClose, CloseAsync(McpCloseCodes.IdleTimeout, $"No message for {_options.IdleTimeout.TotalSeconds:F0} s."));
        return true;
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());

    private static JsonRpcError Failure(JsonRpcRequest request, int code, string message)
        => new() { Id = request.Id, Error = new JsonRpcErrorDetail { Code = code, Message = message } };
}
