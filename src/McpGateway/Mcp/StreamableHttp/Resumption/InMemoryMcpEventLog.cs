using System.Collections.Concurrent;

namespace McpGateway.Mcp.StreamableHttp.Resumption;

/// <summary>Single-instance mode: the streams of this replica, in memory.</summary>
internal sealed class InMemoryMcpEventLog(TimeProvider time) : IMcpEventLog
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<(string Session, string Stream), StreamLog> _streams = new();
    private long _nextPrune;

    public void Append(string sessionKey, string stream, long sequence, ReadOnlyMemory<byte> message)
    {
        var now = time.GetUtcNow();
        var nextPrune = Interlocked.Read(ref _nextPrune);
        if (now.UtcTicks >= nextPrune && Interlocked.CompareExchange(ref _nextPrune, (now + PruneInterval).UtcTicks, nextPrune) == nextPrune)
        {
            foreach (var expired in _streams.Where(pair => pair.Value.ExpiresAt <= now))
            {
                _streams.TryRemove(expired);
            }
        }

        var log = _streams.GetOrAdd((sessionKey, stream), static _ => new StreamLog());
        lock (log)
        {
            log.Events.Add((sequence, message.ToArray()));
            if (log.Events.Count > IMcpEventLog.MaxEventsPerStream)
            {
                log.Events.RemoveAt(0);
            }

            log.ExpiresAt = now + IMcpEventLog.RetainFor;
        }
    }

    public void End(string sessionKey, string stream)
    {
        if (_streams.TryGetValue((sessionKey, stream), out var log))
        {
            lock (log)
            {
                log.Ended = true;
            }
        }
    }

    public Task<McpEventPage> ReadAfterAsync(string sessionKey, string stream, long after, CancellationToken cancellationToken)
    {
        if (!_streams.TryGetValue((sessionKey, stream), out var log) || log.ExpiresAt <= time.GetUtcNow())
        {
            return Task.FromResult(McpEventPage.Unknown);
        }

        lock (log)
        {
            return Task.FromResult(new McpEventPage([.. log.Events.Where(logged => logged.Sequence > after)], log.Ended));
        }
    }

    private sealed class StreamLog
    {
        public List<(long Sequence, byte[] Message)> Events { get; } = [];

        public bool Ended { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
