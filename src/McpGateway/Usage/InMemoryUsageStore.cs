using System.Collections.Concurrent;

namespace McpGateway.Usage;

internal sealed class InMemoryUsageStore : IUsageStore
{
    private readonly ConcurrentDictionary<(string Subject, string Field), long> _counters = new();

    public Task RecordAsync(string subject, ChatUsage usage, CancellationToken cancellationToken)
    {
        foreach (var (field, amount) in UsageCounters.Of(usage))
        {
            _counters.AddOrUpdate((subject, field), amount, (_, current) => current + amount);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ModelUsage>> ListAsync(string subject, CancellationToken cancellationToken)
        => Task.FromResult(UsageCounters.Read(_counters.Where(pair => pair.Key.Subject == subject).Select(pair => (pair.Key.Field, pair.Value))));
}
