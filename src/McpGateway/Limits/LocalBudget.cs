using System.Threading.RateLimiting;

namespace McpGateway.Limits;

/// <summary>A per-user fixed window kept by this replica alone.</summary>
internal static class LocalBudget
{
    public static PartitionedRateLimiter<string> Create(RateLimitBudget budget)
    {
        var options = new FixedWindowRateLimiterOptions
        {
            PermitLimit = budget.PermitLimit,
            Window = budget.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        // The partitioner runs on every acquisition: it and the factory it names are made once, so a call allocates nothing here.
        Func<string, FixedWindowRateLimiterOptions> factory = _ => options;
        return PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetFixedWindowLimiter(user, factory));
    }
}
