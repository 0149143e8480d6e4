using System.Collections.Concurrent;

namespace McpGateway.Connectors.Discovery;

/// <summary>
/// Discovery results per connector in this replica, single-flight: a success for <see cref="SuccessLifetime"/>, a
/// failure for <see cref="FailureLifetime"/> (so a broken server is not probed on every status poll). Metadata is
/// public and cheap to read again, so each replica keeps its own; what must be shared (the client) lives in Redis.
/// </summary>
internal sealed class ConnectorDiscoveryCache(ConnectorDiscoverer discoverer, TimeProvider time, ILogger<ConnectorDiscoveryCache> logger)
{
    internal static readonly TimeSpan SuccessLifetime = TimeSpan.FromHours(1);
    internal static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <exception cref="ConnectorDiscoveryException">Discovery failed (now or within the last <see cref="FailureLifetime"/>).</exception>
    public async Task<ConnectorDiscovery> GetAsync(Connector connector, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = _entries.AddOrUpdate(
            connector.Name,
            _ => Start(connector),
            (_, existing) => existing.HasExpired(now) ? Start(connector) : existing);
        return await entry.Result.WaitAsync(cancellationToken);
    }

    /// <summary>The server refused a token as if its authorization moved: the next caller discovers again.</summary>
    public void Forget(string connector) => _entries.TryRemove(connector, out _);

    private Entry Start(Connector connector)
    {
        var entry = new Entry();
        entry.Result = RunAsync(connector, entry);
        return entry;
    }

    private async Task<ConnectorDiscovery> RunAsync(Connector connector, Entry entry)
    {
        await Task.Yield();
        using var timeout = new CancellationTokenSource(Timeout, time);
        try
        {
            var discovery = await discoverer.DiscoverAsync(connector, timeout.Token);
            entry.ExpireAt(time.GetUtcNow() + SuccessLifetime);
            ConnectorsLog.Discovered(logger, connector.Name, discovery.Resource.AbsoluteUri, discovery.Issuer.AbsoluteUri);
            return discovery;
        }
        catch (Exception ex)
        {
            entry.ExpireAt(time.GetUtcNow() + FailureLifetime);
            var failure = ex as ConnectorDiscoveryException
                ?? new ConnectorDiscoveryException(ex is OperationCanceledException ? "Discovery did not finish in time." : $"Discovery failed: {ex.Message}", ex);
            ConnectorsLog.DiscoveryFailed(logger, connector.Name, failure.Message);
            throw failure;
        }
    }

    private sealed class Entry
    {
        public Task<ConnectorDiscovery> Result { get; set; } = null!;

        /// <summary>In UTC ticks; the maximum while discovery runs.</summary>
        private long _expiresAt = long.MaxValue;

        public void ExpireAt(DateTimeOffset at) => Interlocked.Exchange(ref _expiresAt, at.UtcTicks);

        public bool HasExpired(DateTimeOffset now) => Interlocked.Read(ref _expiresAt) <= now.UtcTicks;
    }
}
