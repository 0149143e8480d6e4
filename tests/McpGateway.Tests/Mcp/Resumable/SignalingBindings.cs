using McpGateway.Mcp.StreamableHttp;

namespace McpGateway.Tests.Mcp.Resumable;

/// <summary>The in-memory bindings, signalling each save and refresh so that a test waits for the refresh loop instead of sleeping; reads can be made to fail.</summary>
internal sealed class SignalingBindings(TimeProvider time) : IMcpSessionBindings
{
    private readonly InMemoryMcpSessionBindings _inner = new(time);

    public SemaphoreSlim Written { get; } = new(0);

    public int Saves { get; private set; }

    public int Touches { get; private set; }

    public async Task SaveAsync(string key, McpSessionBinding binding, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        await _inner.SaveAsync(key, binding, keepFor, cancellationToken);
        Saves++;
        Written.Release();
    }

    /// <summary>Reads fail as with Redis unreachable.</summary>
    public bool FailReads { get; set; }

    public Task<McpSessionBinding?> FindAsync(string key, CancellationToken cancellationToken)
        => FailReads ? Task.FromException<McpSessionBinding?>(new InvalidOperationException("store unavailable")) : _inner.FindAsync(key, cancellationToken);

    public async Task TouchAsync(string key, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        await _inner.TouchAsync(key, keepFor, cancellationToken);
        Touches++;
        Written.Release();
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => _inner.DeleteAsync(key, cancellationToken);
}
