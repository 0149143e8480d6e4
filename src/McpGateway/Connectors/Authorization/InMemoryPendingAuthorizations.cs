using System.Collections.Concurrent;

namespace McpGateway.Connectors.Authorization;

/// <summary>Authorizations in progress in this process (single-instance mode).</summary>
internal sealed class InMemoryPendingAuthorizations(TimeProvider time) : IPendingAuthorizations
{
    private readonly ConcurrentDictionary<string, (byte[] Flow, DateTimeOffset ExpiresAt)> _flows = new(StringComparer.Ordinal);

    public Task SaveAsync(string stateKey, byte[] protectedFlow, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _flows.Where(pair => pair.Value.ExpiresAt <= now))
        {
            _flows.TryRemove(expired);
        }

        _flows[stateKey] = (protectedFlow, now + timeToLive);
        return Task.CompletedTask;
    }

    public Task<byte[]?> PeekAsync(string stateKey, CancellationToken cancellationToken)
        => Task.FromResult(_flows.TryGetValue(stateKey, out var flow) && flow.ExpiresAt > time.GetUtcNow() ? flow.Flow : null);

    public Task<byte[]?> TakeAsync(string stateKey, CancellationToken cancellationToken)
        => Task.FromResult(_flows.TryRemove(stateKey, out var flow) && flow.ExpiresAt > time.GetUtcNow() ? flow.Flow : null);
}
