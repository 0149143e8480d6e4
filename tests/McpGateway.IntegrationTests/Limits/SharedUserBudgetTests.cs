using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Limits;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGateway.IntegrationTests.Limits;

/// <summary>
/// The per-user budget shared by replicas through a real Redis: never more than the limit across them, one
/// Redis call per permit for small budgets, and permits taken ahead (a few at a time) for large ones.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class SharedUserBudgetTests(McpStack stack)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_small_budget_alternating_between_two_replicas_grants_exactly_its_limit_and_refuses_with_retry_after()
    {
        await using var redis = await stack.Redis.ConnectAsync();
        var prefix = Prefix();
        using var first = Budget(redis, prefix, 5);
        using var second = Budget(redis, prefix, 5);

        var granted = new List<bool>();
        for (var call = 0; call < 7; call++)
        {
            using var lease = await (call % 2 == 0 ? first : second).AcquireAsync("wanda", cancellationToken: Cancellation);
            granted.Add(lease.IsAcquired);
            if (!lease.IsAcquired)
            {
                Assert.InRange(RateLimitsFeature.RetryAfter(lease), 1, 60);
            }
        }

        Assert.Equal([true, true, true, true, true, false, false], granted);
        using (var attempt = first.AttemptAcquire("wanda"))
        {
            Assert.False(attempt.IsAcquired, "a small budget keeps nothing in reserve: a synchronous attempt always defers to Redis");
        }
    }

    [Fact]
    public async Task A_large_budget_takes_permits_ahead_yet_replicas_together_never_grant_more_than_the_limit()
    {
        const int Limit = 256;
        await using var redis = await stack.Redis.ConnectAsync();
        var prefix = Prefix();
        using var first = Budget(redis, prefix, Limit);
        using var second = Budget(redis, prefix, Limit);

        // A fast caller on both replicas at once, well past the limit.
        var leases = await Task.WhenAll(Enumerable.Range(0, 2 * Limit).Select(async call =>
        {
            using var lease = await (call % 2 == 0 ? first : second).AcquireAsync("xavier", cancellationToken: Cancellation);
            return lease.IsAcquired;
        }));
        var counted = (long)await redis.GetDatabase().StringGetAsync("rl:fw:{" + prefix + "ratelimit:chat:xavier}");

        var granted = leases.Count(acquired => acquired);
        Assert.True(counted <= Limit, $"Redis counted {counted} permits");
        Assert.True(granted <= counted, $"{granted} granted, {counted} counted");
        // What the replicas took ahead and have not used yet is lost to the caller: at most half a take and the next
        // take (6 here) per replica.
        Assert.InRange(granted, Limit - 2 * PermitReserve.MostHeldUnused(PermitReserve.LargestTake(Limit)), Limit);
        Assert.Equal(4, PermitReserve.LargestTake(Limit));
    }

    [Fact]
    public async Task Permits_taken_ahead_are_handed_out_synchronously_and_another_user_has_a_window_of_their_own()
    {
        await using var redis = await stack.Redis.ConnectAsync();
        var prefix = Prefix();
        using var budget = Budget(redis, prefix, 64 * 100);

        for (var call = 0; call < 10; call++)
        {
            using var lease = await budget.AcquireAsync("yann", cancellationToken: Cancellation);
            Assert.True(lease.IsAcquired);
        }

        var synchronous = 0;
        for (var call = 0; call < 50; call++)
        {
            using var attempt = budget.AttemptAcquire("yann");
            if (attempt.IsAcquired)
            {
                synchronous++;
            }
            else
            {
                using var lease = await budget.AcquireAsync("yann", cancellationToken: Cancellation);
                Assert.True(lease.IsAcquired);
            }
        }

        var counted = (long)await redis.GetDatabase().StringGetAsync("rl:fw:{" + prefix + "ratelimit:chat:yann}");
        Assert.True(synchronous > 25, $"only {synchronous} of 50 calls were answered from the reserve");
        Assert.InRange(counted, 60, 60 + 2 * PermitReserve.MaxTake);
        using var other = budget.AttemptAcquire("zoe");
        Assert.False(other.IsAcquired, "another user's first call asks Redis");
    }

    [Fact]
    public async Task A_fast_caller_finds_the_next_take_in_the_reserve_before_the_last_one_runs_out()
    {
        await using var redis = await stack.Redis.ConnectAsync();
        var prefix = Prefix();
        using var budget = Budget(redis, prefix, 64 * 100);

        // Quick calls double the take up to its largest, 64 permits.
        for (var call = 0; call < 40; call++)
        {
            using var lease = await budget.AcquireAsync("quinn", cancellationToken: Cancellation);
            Assert.True(lease.IsAcquired);
        }

        // Ten takes' worth of calls, a millisecond or so apart (far longer than a Redis round trip per half take): without
        // taking ahead, every 64th call would wait for Redis.
        var waited = 0;
        for (var call = 0; call < 640; call++)
        {
            using var attempt = budget.AttemptAcquire("quinn");
            if (!attempt.IsAcquired)
            {
                waited++;
                using var lease = await budget.AcquireAsync("quinn", cancellationToken: Cancellation);
                Assert.True(lease.IsAcquired);
            }

            await Task.Delay(1, Cancellation);
        }

        var counted = (long)await redis.GetDatabase().StringGetAsync("rl:fw:{" + prefix + "ratelimit:chat:quinn}");
        Assert.True(waited <= 3, $"{waited} of 640 calls waited for Redis");
        Assert.InRange(counted, 680, 680 + PermitReserve.MostHeldUnused(PermitReserve.MaxTake));
    }

    private static string Prefix() => "budget-" + Guid.NewGuid().ToString("N")[..8] + ":";

    private static SharedUserBudget Budget(StackExchange.Redis.IConnectionMultiplexer redis, string prefix, int limit)
        => new("chat", new RateLimitBudget { PermitLimit = limit, Window = TimeSpan.FromMinutes(1) }, redis, prefix, TimeProvider.System, NullLogger.Instance);
}
