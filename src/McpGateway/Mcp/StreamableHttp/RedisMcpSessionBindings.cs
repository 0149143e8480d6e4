using System.Text.Json;
using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Mcp.StreamableHttp;

internal sealed class RedisMcpSessionBindings(IConnectionMultiplexer redis, RedisKeyspace keys) : IMcpSessionBindings
{
    private const string Area = "mcp-session";

    public Task SaveAsync(string key, McpSessionBinding binding, TimeSpan keepFor, CancellationToken cancellationToken)
        => redis.GetDatabase().StringSetAsync(keys.Key(Area, key), JsonSerializer.SerializeToUtf8Bytes(binding, McpHttpJsonContext.Default.McpSessionBinding), keepFor);

    public async Task<McpSessionBinding?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(keys.Key(Area, key));
        return value.HasValue ? JsonSerializer.Deserialize((byte[])value!, McpHttpJsonContext.Default.McpSessionBinding) : null;
    }

    public Task TouchAsync(string key, TimeSpan keepFor, CancellationToken cancellationToken)
        => redis.GetDatabase().KeyExpireAsync(keys.Key(Area, key), keepFor);

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
        => redis.GetDatabase().KeyDeleteAsync(keys.Key(Area, key));
}
