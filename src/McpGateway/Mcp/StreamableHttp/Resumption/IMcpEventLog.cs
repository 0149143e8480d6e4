namespace McpGateway.Mcp.StreamableHttp.Resumption;

/// <summary>
/// The events sent on the Streamable HTTP event streams of every replica, kept for <see cref="RetainFor"/> after the last one,
/// so that a client whose stream dropped can resume it with <c>Last-Event-ID</c> on any replica without losing a message.
/// Keyed by the MCP session's key (the SHA-256 of its id) and the stream; at most <see cref="MaxEventsPerStream"/> per stream.
/// </summary>
internal interface IMcpEventLog
{
    public static readonly TimeSpan RetainFor = TimeSpan.FromMinutes(5);

    public const int MaxEventsPerStream = 1024;

    /// <summary>Records one event. It does not wait for the store: order is kept, and a lost write only shortens a replay.</summary>
    void Append(string sessionKey, string stream, long sequence, ReadOnlyMemory<byte> message);

    /// <summary>Records that the stream has ended: a resumed stream stops after its last event.</summary>
    void End(string sessionKey, string stream);

    Task<McpEventPage> ReadAfterAsync(string sessionKey, string stream, long after, CancellationToken cancellationToken);
}
