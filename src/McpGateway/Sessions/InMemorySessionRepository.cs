using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace McpGateway.Sessions;

/// <summary>Sessions in this process (single-instance mode): lost on restart, invisible to other replicas.</summary>
internal sealed class InMemorySessionRepository(TimeProvider time) : ISessionRepository, ISessionConnectorTokens
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    public Task CreateAsync(string key, SessionRecord record, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        _sessions[key] = new Entry(record, time.GetUtcNow() + timeToLive);
        return Task.CompletedTask;
    }

    public Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult(TryGetLive(key, out var entry) ? entry.Record : null);

    public Task<byte[]?> GetTokensAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult(TryGetLive(key, out var entry) ? entry.Record.ProtectedTokens : null);

    public Task<bool> UpdateTicketAsync(string key, byte[] protectedTicket, TimeSpan timeToLive, CancellationToken cancellationToken)
        => Task.FromResult(TryUpdate(key, entry => entry with { Record = entry.Record with { ProtectedTicket = protectedTicket }, ExpiresAt = time.GetUtcNow() + timeToLive }));

    public Task<bool> UpdateTokensAsync(string key, byte[] protectedTokens, CancellationToken cancellationToken)
        => Task.FromResult(TryUpdate(key, entry => entry with { Record = entry.Record with { ProtectedTokens = protectedTokens } }));

    public Task<bool> RemoveAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult(_sessions.TryRemove(key, out _));

    public Task<long> CountAsync(CancellationToken cancellationToken)
        => Task.FromResult((long)_sessions.Count(pair => pair.Value.ExpiresAt > time.GetUtcNow()));

    public Task<IReadOnlyList<string>> FindBySubjectAsync(string subject, CancellationToken cancellationToken)
        => Find(record => record.Subject == subject);

    public Task<IReadOnlyList<string>> FindBySidAsync(string sid, CancellationToken cancellationToken)
        => Find(record => record.Sid == sid);

    private Task<IReadOnlyList<string>> Find(Func<SessionRecord, bool> match)
    {
        IReadOnlyList<string> found = [.. _sessions.Where(pair => TryGetLive(pair.Key, out _) && match(pair.Value.Record)).Select(pair => pair.Key)];
        return Task.FromResult(found);
    }

    public Task<byte[]?> GetConnectorTokensAsync(string key, string connector, CancellationToken cancellationToken)
        => Task.FromResult(TryGetLive(key, out var entry) ? entry.Connectors.GetValueOrDefault(connector) : null);

    public Task<bool> SetConnectorTokensAsync(string key, string connector, byte[] protectedTokens, CancellationToken cancellationToken)
        => Task.FromResult(TryUpdate(key, entry => entry with { Connectors = entry.Connectors.SetItem(connector, protectedTokens) }));

    public Task RemoveConnectorTokensAsync(string key, string connector, CancellationToken cancellationToken)
    {
        TryUpdate(key, entry => entry with { Connectors = entry.Connectors.Remove(connector) });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, byte[]>> GetAllConnectorTokensAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyDictionary<string, byte[]>>(TryGetLive(key, out var entry) ? entry.Connectors : ImmutableDictionary<string, byte[]>.Empty);

    private bool TryGetLive(string key, out Entry entry)
    {
        if (_sessions.TryGetValue(key, out entry!) && entry.ExpiresAt > time.GetUtcNow())
        {
            return true;
        }

        if (entry is not null)
        {
            _sessions.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        return false;
    }

    private bool TryUpdate(string key, Func<Entry, Entry> update)
    {
        while (TryGetLive(key, out var current))
        {
            if (_sessions.TryUpdate(key, update(current), current))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Entry(SessionRecord Record, DateTimeOffset ExpiresAt)
    {
        public ImmutableDictionary<string, byte[]> Connectors { get; init; } = ImmutableDictionary<string, byte[]>.Empty;
    }
}
