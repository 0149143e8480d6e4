using System.Collections.Concurrent;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>Single-instance mode: the bindings of this replica only.</summary>
internal sealed class InMemoryMcpSessionBindings(TimeProvider time) : IMcpSessionBindings
{
    private readonly ConcurrentDictionary<string, (McpSessionBinding Binding, DateTimeOffset Expires)> _bindings = new(StringComparer.Ordinal);

    public Task SaveAsync(string key, McpSessionBinding binding, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _bindings.Where(pair => pair.Value.Expires <= now))
        {
            _bindings.TryRemove(expired);
        }

        _bindings[key] = (binding, now + keepFor);
        return Task.CompletedTask;
    }

    public Task<McpSessionBinding?> FindAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult(_bindings.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Binding : null);

    public Task TouchAsync(string key, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        if (_bindings.TryGetValue(key, out var entry))
        {
            _bindings.TryUpdate(key, (entry.Binding, time.GetUtcNow() + keepFor), entry);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        _bindings.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
