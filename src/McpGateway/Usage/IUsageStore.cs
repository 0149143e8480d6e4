namespace McpGateway.Usage;

/// <summary>The durable usage counters, per user and counter field.</summary>
internal interface IUsageStore
{
    /// <summary>Adds every increment atomically per counter; all or nothing is not required, each counter is added once.</summary>
    Task AddAsync(IReadOnlyCollection<UsageIncrement> increments, CancellationToken cancellationToken);

    Task<IReadOnlyList<(string Field, long Amount)>> ReadAsync(string subject, CancellationToken cancellationToken);
}
