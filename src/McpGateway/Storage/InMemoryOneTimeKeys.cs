using System.Collections.Concurrent;

namespace McpGateway.Storage;

internal sealed class InMemoryOneTimeKeys(TimeProvider time) : IOneTimeKeys
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    public Task<bool> TryUseAsync(string key, TimeSpan remember, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _used.Where(pair => pair.Value <= now))
        {
            _used.TryRemove(expired);
        }

        return Task.FromResult(_used.TryAdd(key, now + remember));
    }
}
