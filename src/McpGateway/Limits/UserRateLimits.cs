using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace McpGateway.Limits;

/// <summary>
/// The per-user budgets, one fixed window per user and kind. Shared by the ASP.NET Core rate-limiting
/// middleware (chat route, REST tool calls) and the WebSocket bridge (tool calls over a socket), so a
/// user has one tool budget however they call. Kept per replica.
/// </summary>
internal sealed class UserRateLimits : IDisposable
{
    public UserRateLimits(IOptions<RateLimitOptions> options)
    {
        Chat = Create(options.Value.Chat);
        Tools = Create(options.Value.Tools);
    }

    public PartitionedRateLimiter<string> Chat { get; }

    public PartitionedRateLimiter<string> Tools { get; }

    public void Dispose()
    {
        Chat.Dispose();
        Tools.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(RateLimitBudget budget)
        => PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = budget.PermitLimit,
            Window = budget.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
