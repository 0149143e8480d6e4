using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Mcp.StreamableHttp;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Resumable;

/// <summary>
/// One WebSocket's resumable MCP session (see <see cref="SocketResumption"/>). A resumed socket answers <c>initialize</c>
/// itself from the stored result; otherwise the first successful <c>initialize</c> stores the binding. While the socket
/// lives the binding is refreshed, and a new upstream session (one server's, or a connector's behind the router) is
/// stored as soon as it is opened; when it is lost (no close frame, or 1001: going away, a gateway drain) the binding
/// outlives it by <see cref="McpOptions.ResumeTimeout"/> and the upstream session is left open; any other close ends both.
/// </summary>
internal sealed class ResumableSocket
{
    private readonly SocketResumption _resumption;
    private readonly string _socketId;
    private readonly BridgeUser _user;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task _writes = Task.CompletedTask;
    private McpSessionBinding? _binding;
    private bool _released;

    private int _initializeAnswered;

    internal ResumableSocket(
        SocketResumption resumption, string socketId, BridgeUser user, string handle, McpSessionBinding? resumed, InFlightJournal journal, ILogger logger)
    {
        _resumption = resumption;
        _socketId = socketId;
        _user = user;
        _logger = logger;
        Handle = handle;
        _binding = resumed;
        IsResumed = resumed is not null;
        Journal = journal;
    }

    /// <summary>This session's unanswered calls, where the replica a browser reconnects to finds them.</summary>
    public InFlightJournal Journal { get; }

    /// <summary>The opaque handle of this session (what the browser passes back in <c>?resume=</c>).</summary>
    public string Handle { get; }

    /// <summary>The socket's id in the per-user connection slots: the same for every socket that continues this session (never the handle).</summary>
    public string SlotId => SocketResumption.KeyOf(Handle);

    /// <summary>Whether the socket continues an earlier session.</summary>
    public bool IsResumed { get; }

    /// <summary>The upstream session id the binding holds (a resumed socket joins it).</summary>
    public string? UpstreamSessionId => Volatile.Read(ref _binding)?.UpstreamSessionId;

    /// <summary>Whether a binding exists (the session was initialized here or resumed).</summary>
    public bool IsBound => Volatile.Read(ref _binding) is not null;

    /// <summary>
    /// A resumed socket's first <c>initialize</c>, answered from the stored result, with the browser's ids of the calls
    /// the lost socket left unanswered in <c>_meta["io.mcpgateway/pending"]</c>: their answers follow (the caller
    /// recovers the returned calls once the answer is sent). <see langword="null"/> for anything else.
    /// </summary>
    public async Task<(JsonRpcMessage? Answer, IReadOnlyList<InFlightCall> Recovering)> AnswerInitializeAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        if (!IsResumed || request.Method != GatewayMethods.Initialize || Volatile.Read(ref _binding)?.InitializeResult is not { } stored
            || JsonNode.Parse(stored) is not JsonObject result)
        {
            return (null, []);
        }

        IReadOnlyList<InFlightCall> recovering = [];
        if (Interlocked.Exchange(ref _initializeAnswered, 1) == 0)
        {
            try
            {
                recovering = await Journal.ListAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                // Unreadable: the browser sends its unanswered calls again, as it would without the record.
                ResumeLog.LookupFailed(_logger, _user.Subject, ex.GetType().Name);
            }
        }

        var answer = WithHandle(result);
        ((JsonObject)answer["_meta"]!)[SocketResumption.PendingMeta] = new JsonArray([.. recovering.Select(call => JsonSerializer.SerializeToNode(call.BrowserId, McpJsonUtilities.DefaultOptions))]);
        return (new JsonRpcResponse { Id = request.Id, Result = answer }, recovering);
    }

    /// <summary>
    /// After a relayed <c>initialize</c>: a success is bound (stored) and gets the handle in its <c>_meta</c>; an error
    /// passes unchanged. A binding that cannot be stored leaves the socket working, only not resumable.
    /// </summary>
    /// <remarks>Behind the connector router <paramref name="connectors"/> names each connector's upstream session.</remarks>
    public async Task<JsonRpcMessage> BindAsync(
        JsonRpcRequest initialize, JsonRpcMessage answer, string? upstreamSessionId, IReadOnlyDictionary<string, ConnectorSessionBinding>? connectors,
        CancellationToken cancellationToken)
    {
        if (answer is not JsonRpcResponse { Result: JsonObject result } response)
        {
            return answer;
        }

        var binding = new McpSessionBinding
        {
            OwnerKey = _user.Session.StorageKey,
            Subject = _user.Subject,
            Name = _user.Name,
            UpstreamSessionId = upstreamSessionId,
            ProtocolVersion = GatewayRequestHandler.Text(result, "protocolVersion"),
            InitializeParams = initialize.Params?.ToJsonString() ?? "{}",
            InitializeResult = result.ToJsonString(),
            Connectors = connectors,
        };
        var stored = await OneAtATime(async () =>
        {
            try
            {
                await _resumption.SaveAsync(Handle, binding, cancellationToken);
                Volatile.Write(ref _binding, binding);
                return true;
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                ResumeLog.NotStored(_logger, _socketId, ex.GetType().Name);
                return false;
            }
        });
        if (!stored)
        {
            return answer;
        }

        return new JsonRpcResponse { Id = response.Id, Result = WithHandle(result.DeepClone().AsObject()) };
    }

    /// <summary>
    /// While the socket lives: keeps the binding for <see cref="McpOptions.ResumeTimeout"/> from now, every third of it,
    /// and records a new upstream session (the old one was lost and the link opened another; behind the router, a
    /// connector's: <paramref name="currentConnectors"/>).
    /// </summary>
    public async Task RefreshAsync(
        Func<string?> currentUpstreamSession, Func<IReadOnlyDictionary<string, ConnectorSessionBinding>?> currentConnectors, CancellationToken cancellationToken)
    {
        var interval = _resumption.Options.ResumeTimeout / 3;
        try
        {
            while (true)
            {
                await Task.Delay(interval, _resumption.Time, cancellationToken);
                if (!await SyncAsync(currentUpstreamSession(), currentConnectors(), cancellationToken) && IsBound)
                {
                    try
                    {
                        await _resumption.TouchAsync(Handle, cancellationToken);
                    }
                    catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                    {
                        ResumeLog.NotStored(_logger, _socketId, ex.GetType().Name);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Stores the upstream sessions the socket holds now, when they differ from the binding's: one server's
    /// <paramref name="upstreamSession"/> (a null one, not connected yet, changes nothing), or each connector's in
    /// <paramref name="connectors"/> (behind the router). Nothing before the binding exists or after the socket was released.
    /// </summary>
    /// <returns>Whether the binding was saved (its lifetime starts again).</returns>
    public Task<bool> SyncAsync(string? upstreamSession, IReadOnlyDictionary<string, ConnectorSessionBinding>? connectors, CancellationToken cancellationToken)
        => IsBound ? OneAtATime(() => StoreMovedAsync(upstreamSession, connectors, cancellationToken)) : Task.FromResult(false);

    private async Task<bool> StoreMovedAsync(string? upstreamSession, IReadOnlyDictionary<string, ConnectorSessionBinding>? connectors, CancellationToken cancellationToken)
    {
        try
        {
            if (_released || Volatile.Read(ref _binding) is not { } binding)
            {
                return false;
            }

            var moved = binding;
            if (upstreamSession is not null && upstreamSession != binding.UpstreamSessionId)
            {
                moved = moved with { UpstreamSessionId = upstreamSession };
            }

            if (connectors is not null && !ConnectorSessionBinding.Same(connectors, binding.Connectors))
            {
                moved = moved with { Connectors = connectors };
            }

            if (ReferenceEquals(moved, binding))
            {
                return false;
            }

            await _resumption.SaveAsync(Handle, moved, cancellationToken);
            Volatile.Write(ref _binding, moved);
            return true;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            ResumeLog.NotStored(_logger, _socketId, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>Whether a socket closed with <paramref name="status"/> leaves its session resumable (its upstream session open).</summary>
    public static bool KeepsSession(WebSocketCloseStatus? status) => status is null or WebSocketCloseStatus.EndpointUnavailable;

    /// <summary>
    /// When the socket closed: kept (see <see cref="KeepsSession"/>) the binding expires on its own; otherwise it is deleted.
    /// </summary>
    /// <returns>Whether the upstream session is to be kept open (not ended with DELETE).</returns>
    public async Task<bool> ReleaseAsync(WebSocketCloseStatus? status)
    {
        if (!IsBound)
        {
            return false;
        }

        if (KeepsSession(status))
        {
            ResumeLog.Kept(_logger, _socketId, status?.ToString() ?? "lost", _resumption.Options.ResumeTimeout.TotalSeconds);
            return true;
        }

        // After a save in progress, and no save after it: a forgotten handle is not stored again.
        await OneAtATime(async () =>
        {
            _released = true;
            try
            {
                await _resumption.DeleteAsync(Handle, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // It expires on its own; its upstream session is ended all the same.
                ResumeLog.NotStored(_logger, _socketId, ex.GetType().Name);
            }

            return true;
        });

        ResumeLog.Ended(_logger, _socketId, status.ToString()!);
        return false;
    }

    /// <summary>The binding's writes, one after another in the order they were asked for (a save never overtakes the delete).</summary>
    private async Task<T> OneAtATime<T>(Func<Task<T>> write)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task before;
        lock (_gate)
        {
            (before, _writes) = (_writes, done.Task);
        }

        try
        {
            await before;
            return await write();
        }
        finally
        {
            done.SetResult();
        }
    }

    private JsonObject WithHandle(JsonObject result)
    {
        if (result["_meta"] is not JsonObject meta)
        {
            result["_meta"] = meta = new JsonObject();
        }

        meta[SocketResumption.HandleMeta] = Handle;
        meta[SocketResumption.ResumedMeta] = IsResumed;
        return result;
    }
}
