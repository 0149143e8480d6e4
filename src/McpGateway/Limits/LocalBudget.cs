using System.Threading.RateLimiting;

namespace McpGateway.Limits;

/// <summary>A per-user fixed window kept by this replica alone.</summary>
internal static class LocalBudget
{
    public static PartitionedRateLimiter<string> Create(RateLimitBudget budget)
        => PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = budget.PermitLimit,
            Window = budget.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
