using StackExchange.Redis;

namespace McpGateway.Storage;

internal sealed class RedisOneTimeKeys(IConnectionMultiplexer redis, RedisKeyspace keys) : IOneTimeKeys
{
    public Task<bool> TryUseAsync(string key, TimeSpan remember, CancellationToken cancellationToken)
        => redis.GetDatabase().StringSetAsync(keys.Key("used", key), 1, remember, When.NotExists);
}
