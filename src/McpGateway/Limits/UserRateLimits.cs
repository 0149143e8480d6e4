using System.Threading.RateLimiting;
using McpGateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpGateway.Limits;

/// <summary>
/// The per-user budgets, one fixed window per user and kind. Shared by the ASP.NET Core rate-limiting
/// middleware (chat route, REST tool calls) and the WebSocket bridge (tool calls over a socket), so a
/// user has one tool budget however they call. With Redis the budgets hold across every replica
/// (<see cref="SharedUserBudget"/>, failing open to a per-replica window while Redis is down); without
/// it they are this replica's.
/// </summary>
internal sealed class UserRateLimits : IDisposable
{
    public UserRateLimits(
        IOptions<RateLimitOptions> options, IOptions<RedisOptions> redisOptions, TimeProvider time, ILogger<UserRateLimits> logger,
        IConnectionMultiplexer? redis = null)
    {
        Chat = Create("chat", options.Value.Chat);
        Tools = Create("tools", options.Value.Tools);

        PartitionedRateLimiter<string> Create(string name, RateLimitBudget budget)
            => redis is null ? LocalBudget.Create(budget) : new SharedUserBudget(name, budget, redis, redisOptions.Value.KeyPrefix, time, logger);
    }

    public PartitionedRateLimiter<string> Chat { get; }

    public PartitionedRateLimiter<string> Tools { get; }

    public void Dispose()
    {
        Chat.Dispose();
        Tools.Dispose();
    }
}
