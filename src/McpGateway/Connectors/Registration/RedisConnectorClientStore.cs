using McpGateway.Auth.Registration;
using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Connectors.Registration;

/// <summary>Connector clients in Redis, secrets encrypted as the sign-in registration's are (<see cref="RegistrationProtector"/>).</summary>
internal sealed class RedisConnectorClientStore(IConnectionMultiplexer redis, RedisKeyspace keys, RegistrationProtector protector) : IConnectorClientStore
{
    public async Task<StoredRegistration?> GetAsync(string issuer, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(issuer));
        return value.IsNull ? null : protector.Deserialize((byte[])value!);
    }

    public Task SaveAsync(StoredRegistration registration, CancellationToken cancellationToken)
        => redis.GetDatabase().StringSetAsync(Key(registration.Current.Issuer), protector.Serialize(registration));

    private RedisKey Key(string issuer) => keys.Key("connector-client", issuer);
}
