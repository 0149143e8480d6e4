using System.Collections.Concurrent;

namespace McpGateway.Connectors.StepUp;

/// <summary>Demanded scopes in this process (single-instance mode).</summary>
internal sealed class InMemoryConnectorStepUps(TimeProvider time) : IConnectorStepUps
{
    private readonly ConcurrentDictionary<(string Session, string Connector), (string Scope, DateTimeOffset ExpiresAt)> _demanded = new();

    public Task SaveAsync(string sessionKey, string connector, string scope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _demanded.Where(pair => pair.Value.ExpiresAt <= now))
        {
            _demanded.TryRemove(expired);
        }

        _demanded[(sessionKey, connector)] = (scope, now + timeToLive);
        return Task.CompletedTask;
    }

    public Task<string?> GetAsync(string sessionKey, string connector, CancellationToken cancellationToken)
        => Task.FromResult(_demanded.TryGetValue((sessionKey, connector), out var demanded) && demanded.ExpiresAt > time.GetUtcNow() ? demanded.Scope : null);

    public Task RemoveAsync(string sessionKey, string connector, CancellationToken cancellationToken)
    {
        _demanded.TryRemove((sessionKey, connector), out _);
        return Task.CompletedTask;
    }
}
