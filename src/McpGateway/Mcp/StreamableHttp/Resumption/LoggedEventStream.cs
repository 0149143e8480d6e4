using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.StreamableHttp.Resumption;

/// <summary>
/// One event stream of a session as it is sent: each message gets the next <see cref="McpEventId"/> and goes into the
/// <see cref="IMcpEventLog"/> before it is written, so whatever the client may have missed can be replayed.
/// </summary>
internal sealed class LoggedEventStream(IMcpEventLog log, string sessionKey, char kind)
{
    private long _sequence;

    public string Stream { get; } = McpEventId.NewStream(kind);

    public (McpEventId Id, ReadOnlyMemory<byte> Json) Record(JsonRpcMessage message)
    {
        var json = JsonRpcCodec.Serialize(message);
        var id = new McpEventId(Stream, Interlocked.Increment(ref _sequence));
        log.Append(sessionKey, Stream, id.Sequence, json);
        return (id, json);
    }

    public void End() => log.End(sessionKey, Stream);
}
