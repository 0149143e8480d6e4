namespace McpGateway.Usage;

/// <summary>
/// Writes what the usage ledger counted to the store within <see cref="Interval"/> (so that a replica killed outright
/// loses at most that much metering), and once more when the gateway stops. After a failed write it waits
/// <see cref="RetryInterval"/> before the next try, the amounts kept in the ledger meanwhile.
/// </summary>
internal sealed class UsageFlusher(UsageLedger ledger, TimeProvider time, ILogger<UsageFlusher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            wait = !ledger.HasPending || await FlushAsync(CancellationToken.None) ? Interval : RetryInterval;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Whether the write landed.</summary>
    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ledger.FlushAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The amounts stay in the ledger; the next flush tries again.
            UsageLog.FlushFailed(logger, exception.GetType().Name);
            return false;
        }
    }
}
