using System.Security.Cryptography;
using System.Text;
using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Usage;

/// <summary>A hash of counters per user (<c>usage:{sha256(sub)}</c>), incremented atomically by every replica.</summary>
internal sealed class RedisUsageStore(IConnectionMultiplexer redis, RedisKeyspace keys) : IUsageStore
{
    public async Task AddAsync(IReadOnlyCollection<UsageIncrement> increments, CancellationToken cancellationToken)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var writes = increments.Select(increment => batch.HashIncrementAsync(Key(increment.Subject), increment.Field, increment.Amount)).ToList();
        batch.Execute();
        await Task.WhenAll(writes);
    }

    public async Task<IReadOnlyList<(string Field, long Amount)>> ReadAsync(string subject, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(Key(subject));
        return [.. entries.Select(entry => (entry.Name.ToString(), (long)entry.Value))];
    }

    private RedisKey Key(string subject) => keys.Key("usage", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..32]);
}
