using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Auth.Registration;

internal sealed class RedisClientRegistrationStore(IConnectionMultiplexer redis, RedisKeyspace keys, RegistrationProtector protector)
    : IClientRegistrationStore
{
    public async Task<StoredRegistration?> GetAsync(string issuer, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(issuer));
        return value.IsNull ? null : protector.Deserialize((byte[])value!);
    }

    public Task SaveAsync(StoredRegistration registration, CancellationToken cancellationToken)
        => redis.GetDatabase().StringSetAsync(Key(registration.Current.Issuer), protector.Serialize(registration));

    public Task DeleteAsync(string issuer, CancellationToken cancellationToken)
        => redis.GetDatabase().KeyDeleteAsync(Key(issuer));

    private RedisKey Key(string issuer) => keys.Key("dcr", issuer);
}
