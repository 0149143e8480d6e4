using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Connectors.StepUp;

internal sealed class RedisConnectorStepUps(IConnectionMultiplexer redis, RedisKeyspace keys) : IConnectorStepUps
{
    public Task SaveAsync(string sessionKey, string connector, string scope, TimeSpan timeToLive, CancellationToken cancellationToken)
        => redis.GetDatabase().StringSetAsync(Key(sessionKey, connector), scope, timeToLive);

    public async Task<string?> GetAsync(string sessionKey, string connector, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(sessionKey, connector));
        return value.IsNull ? null : (string)value!;
    }

    public Task RemoveAsync(string sessionKey, string connector, CancellationToken cancellationToken)
        => redis.GetDatabase().KeyDeleteAsync(Key(sessionKey, connector));

    private RedisKey Key(string sessionKey, string connector) => keys.Key("connector-step-up", sessionKey + ":" + connector);
}
