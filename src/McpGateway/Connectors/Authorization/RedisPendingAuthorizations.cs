using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Connectors.Authorization;

internal sealed class RedisPendingAuthorizations(IConnectionMultiplexer redis, RedisKeyspace keys) : IPendingAuthorizations
{
    public Task SaveAsync(string stateKey, byte[] protectedFlow, TimeSpan timeToLive, CancellationToken cancellationToken)
        => redis.GetDatabase().StringSetAsync(Key(stateKey), protectedFlow, timeToLive);

    public async Task<byte[]?> PeekAsync(string stateKey, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(stateKey));
        return value.IsNull ? null : (byte[])value!;
    }

    public async Task<byte[]?> TakeAsync(string stateKey, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetDeleteAsync(Key(stateKey));
        return value.IsNull ? null : (byte[])value!;
    }

    private RedisKey Key(string stateKey) => keys.Key("connector-flow", stateKey);
}
