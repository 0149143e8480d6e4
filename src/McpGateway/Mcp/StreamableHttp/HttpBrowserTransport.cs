using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// A Streamable HTTP session as an <see cref="IBrowserTransport"/>. POSTs put messages in; what the
/// bridge sends is routed: a response to the POST that carried its request (dropped when that POST
/// is gone: MCP sends responses nowhere else), anything else (server requests, notifications) to
/// the newest POST answered as an event stream, else to the standalone GET stream, else kept for
/// the next GET stream (a bounded backlog). A message goes to one stream only.
/// </summary>
internal sealed class HttpBrowserTransport : IBrowserTransport
{
    public const string TransportKind = "streamable-http";
    private const int BacklogLimit = 256;

    private readonly Channel<JsonRpcMessage> _inbound = Channel.CreateBounded<JsonRpcMessage>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ConcurrentDictionary<RequestId, MessageStream> _awaiting = new();
    private readonly Queue<JsonRpcMessage> _backlog = new();
    private readonly Lock _gate = new();
    private MessageStream? _standalone;
    private long _order;
    private int _closed;

    public string Kind => TransportKind;

    public (WebSocketCloseStatus Status, string Reason)? Closed { get; private set; }

    /// <summary>Registers the POST of a request before its request goes in; <see langword="null"/> when that id is already in flight.</summary>
    public MessageStream? Expect(RequestId id, bool asEventStream)
    {
        var stream = new MessageStream(Interlocked.Increment(ref _order), asEventStream);
        return _awaiting.TryAdd(id, stream) ? stream : null;
    }

    /// <summary>The POST is gone (answered, or the client went away): its response, if any comes, is dropped.</summary>
    public void Forget(RequestId id, MessageStream stream) => _awaiting.TryRemove(KeyValuePair.Create(id, stream));

    /// <returns><see langword="false"/> when the session is closing.</returns>
    public bool TryAccept(JsonRpcMessage message) => Volatile.Read(ref _closed) == 0 && _inbound.Writer.TryWrite(message);

    /// <summary>Opens the standalone GET stream, with what waited for it; <see langword="null"/> while one is open.</summary>
    public MessageStream? OpenStandalone()
    {
        lock (_gate)
        {
            if (_standalone is not null || Volatile.Read(ref _closed) != 0)
            {
                return null;
            }

            _standalone = new MessageStream(0, carriesServerMessages: true);
            while (_backlog.TryDequeue(out var waiting))
            {
                _standalone.TryWrite(waiting);
            }

            return _standalone;
        }
    }

    public void CloseStandalone(MessageStream stream)
    {
        lock (_gate)
        {
            if (_standalone == stream)
            {
                _standalone = null;
            }
        }

        stream.End();
    }

    public async Task ReceiveAsync(Func<JsonRpcMessage, ValueTask> onMessage, Func<JsonRpcError, ValueTask> onUndecodable, CancellationToken cancellationToken)
    {
        // The endpoint decodes every POST and answers bad input itself: only messages arrive here.
        try
        {
            await foreach (var message in _inbound.Reader.ReadAllAsync(cancellationToken))
            {
                await onMessage(message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (message is JsonRpcResponse or JsonRpcError)
        {
            if (message is JsonRpcMessageWithId { Id.Id: not null } answer && _awaiting.TryRemove(answer.Id, out var waiting))
            {
                waiting.Finish(message);
            }

            return ValueTask.CompletedTask;
        }

        var newest = _awaiting.Values.Where(stream => stream.CarriesServerMessages).MaxBy(stream => stream.Order);
        if (newest is not null && newest.TryWrite(message))
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (_standalone is null || !_standalone.TryWrite(message))
            {
                if (_backlog.Count == BacklogLimit)
                {
                    _backlog.Dequeue();
                }

                _backlog.Enqueue(message);
            }
        }

        return ValueTask.CompletedTask;
    }

    public Task SendLoopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return Task.CompletedTask;
        }

        Closed = (status, reason);
        _inbound.Writer.TryComplete();
        foreach (var waiting in _awaiting.Values)
        {
            waiting.End();
        }

        lock (_gate)
        {
            _standalone?.End();
            _backlog.Clear();
        }

        return Task.CompletedTask;
    }
}
