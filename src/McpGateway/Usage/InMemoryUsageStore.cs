using System.Collections.Concurrent;

namespace McpGateway.Usage;

internal sealed class InMemoryUsageStore : IUsageStore
{
    private readonly ConcurrentDictionary<(string Subject, string Field), long> _counters = new();

    public Task AddAsync(IReadOnlyCollection<UsageIncrement> increments, CancellationToken cancellationToken)
    {
        foreach (var increment in increments)
        {
            _counters.AddOrUpdate((increment.Subject, increment.Field), increment.Amount, (_, current) => current + increment.Amount);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(string Field, long Amount)>> ReadAsync(string subject, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<(string Field, long Amount)>>([.. _counters.Where(pair => pair.Key.Subject == subject).Select(pair => (pair.Key.Field, pair.Value))]);
}
