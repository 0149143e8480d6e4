using System.Threading.RateLimiting;

namespace McpGateway.Limits;

/// <summary>One user's share of a <see cref="UserRateLimits"/> budget, as the rate-limiting middleware wants a limiter per partition.</summary>
internal sealed class UserPartitionLimiter(PartitionedRateLimiter<string> budget, string user) : RateLimiter
{
    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => budget.GetStatistics(user);

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => budget.AttemptAcquire(user, permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        => budget.AcquireAsync(user, permitCount, cancellationToken);
}
