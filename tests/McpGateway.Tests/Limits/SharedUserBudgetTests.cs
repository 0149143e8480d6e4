using McpGateway.Limits;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace McpGateway.Tests.Limits;

/// <summary>What a shared budget does when Redis cannot be reached: it fails open to a per-replica window of the same size.</summary>
public sealed class SharedUserBudgetTests : IAsyncLifetime
{
    private static readonly RateLimitBudget ThreePerMinute = new() { PermitLimit = 3, Window = TimeSpan.FromMinutes(1) };
    private readonly CapturingLogger<SharedUserBudgetTests> _logger = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ConnectionMultiplexer _unreachable = null!;

    public async ValueTask InitializeAsync() => _unreachable = await UnreachableRedis.ConnectAsync();

    public async ValueTask DisposeAsync() => await _unreachable.DisposeAsync();

    [Fact]
    public async Task Without_redis_the_budget_is_counted_by_the_replica_and_still_refuses_past_the_limit()
    {
        using var budget = new SharedUserBudget("tools", ThreePerMinute, _unreachable, "test:", _time, _logger);

        var leases = new List<bool>();
        for (var call = 0; call < 4; call++)
        {
            using var lease = await budget.AcquireAsync("alice", cancellationToken: TestContext.Current.CancellationToken);
            leases.Add(lease.IsAcquired);
        }

        using var someoneElse = await budget.AcquireAsync("bob", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([true, true, true, false], leases);
        Assert.True(someoneElse.IsAcquired);
        var warning = Assert.Single(_logger.Entries, entry => entry.EventId.Id == 8000);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.DoesNotContain("alice", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_synchronous_attempt_defers_to_the_shared_budget_without_spending_a_permit_then_answers_locally_during_an_outage()
    {
        using var budget = new SharedUserBudget("chat", ThreePerMinute, _unreachable, "test:", _time, _logger);

        using (var deferred = budget.AttemptAcquire("carol"))
        {
            Assert.False(deferred.IsAcquired);
            Assert.Empty(deferred.MetadataNames);
        }

        // The failed Redis call sends the budget to the local window, where synchronous attempts count.
        using (await budget.AcquireAsync("carol", cancellationToken: TestContext.Current.CancellationToken))
        {
        }

        using var local = budget.AttemptAcquire("carol");
        Assert.True(local.IsAcquired);
        Assert.Equal(1, budget.GetStatistics("carol")!.CurrentAvailablePermits);

        // After the back-off Redis is asked again (and, still down, logged again).
        _time.Advance(TimeSpan.FromSeconds(6));
        using var retried = budget.AttemptAcquire("carol");
        Assert.False(retried.IsAcquired);
    }
}
