using System.Collections.Concurrent;

namespace McpGateway.Storage;

/// <summary>Locks for single-instance mode: one semaphore per name, in this process only.</summary>
internal sealed class InMemoryGatewayLocks : IGatewayLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var semaphore = _locks.GetOrAdd(name, static _ => new SemaphoreSlim(1, 1));
        return await semaphore.WaitAsync(timeout, cancellationToken) ? new Release(semaphore) : null;
    }

    private sealed class Release(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
