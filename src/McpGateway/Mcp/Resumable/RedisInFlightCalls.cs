using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Mcp.Resumable;

/// <summary>One hash per session (field: the call's <see cref="InFlightCallKey"/>), written without waiting (fire and forget).</summary>
internal sealed class RedisInFlightCalls(IConnectionMultiplexer redis, RedisKeyspace keys) : IInFlightCalls
{
    private const string Area = "mcp-inflight";

    public void Record(string sessionKey, InFlightCall call, TimeSpan keepFor)
    {
        var database = redis.GetDatabase();
        var key = keys.Key(Area, sessionKey);
        database.HashSet(key, call.Key.ToString(), InFlightCallJson.Serialize(call), flags: CommandFlags.FireAndForget);
        database.KeyExpire(key, keepFor, CommandFlags.FireAndForget);
    }

    public void Remove(string sessionKey, InFlightCallKey call)
        => redis.GetDatabase().HashDelete(keys.Key(Area, sessionKey), call.ToString(), CommandFlags.FireAndForget);

    public async Task<IReadOnlyList<InFlightCall>> ListAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(keys.Key(Area, sessionKey));
        var calls = new List<InFlightCall>(entries.Length);
        foreach (var entry in entries)
        {
            if (InFlightCallKey.TryParse(entry.Name.ToString(), out var key) && InFlightCallJson.Deserialize(key, (byte[])entry.Value!) is { } call)
            {
                calls.Add(call);
            }
        }

        return calls;
    }
}
