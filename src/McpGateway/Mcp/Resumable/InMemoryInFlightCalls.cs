using System.Collections.Concurrent;

namespace McpGateway.Mcp.Resumable;

/// <summary>Single-instance mode: a socket that reconnects to this process finds the calls of the one it lost.</summary>
internal sealed class InMemoryInFlightCalls(TimeProvider time) : IInFlightCalls
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private long _nextPrune;

    public void Record(string sessionKey, InFlightCall call, TimeSpan keepFor)
    {
        var now = time.GetUtcNow();
        var nextPrune = Interlocked.Read(ref _nextPrune);
        if (now.UtcTicks >= nextPrune && Interlocked.CompareExchange(ref _nextPrune, (now + PruneInterval).UtcTicks, nextPrune) == nextPrune)
        {
            foreach (var expired in _sessions.Where(pair => pair.Value.ExpiresAt <= now))
            {
                _sessions.TryRemove(expired);
            }
        }

        var session = _sessions.GetOrAdd(sessionKey, static _ => new Session());
        session.Calls[call.Key] = call;
        session.ExpiresAt = now + keepFor;
    }

    public void Remove(string sessionKey, InFlightCallKey call)
    {
        if (_sessions.TryGetValue(sessionKey, out var session))
        {
            session.Calls.TryRemove(call, out _);
        }
    }

    public Task<IReadOnlyList<InFlightCall>> ListAsync(string sessionKey, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<InFlightCall>>(
            _sessions.TryGetValue(sessionKey, out var session) && session.ExpiresAt > time.GetUtcNow() ? [.. session.Calls.Values] : []);

    private sealed class Session
    {
        public ConcurrentDictionary<InFlightCallKey, InFlightCall> Calls { get; } = new();

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
