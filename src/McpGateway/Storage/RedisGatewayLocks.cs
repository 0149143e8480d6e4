using Medallion.Threading.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpGateway.Storage;

/// <summary>Locks held in Redis (DistributedLock.Redis: SET NX with an expiry that is extended while held).</summary>
internal sealed class RedisGatewayLocks(IConnectionMultiplexer redis, IOptions<RedisOptions> options) : IGatewayLocks
{
    private readonly string _prefix = options.Value.KeyPrefix + "lock:";

    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var redisLock = new RedisDistributedLock(_prefix + name, redis.GetDatabase());
        return await redisLock.TryAcquireAsync(timeout, cancellationToken);
    }
}
