using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpGateway.Storage;

/// <summary>Builds the gateway's Redis keys: <c>{prefix}{area}:{id}</c>.</summary>
internal sealed class RedisKeyspace(IOptions<RedisOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix;

    public RedisKey Key(string area, string id) => $"{_prefix}{area}:{id}";

    public RedisKey Key(string area) => _prefix + area;

    public RedisChannel Channel(string name) => RedisChannel.Literal(_prefix + name);
}
