using System.Security.Cryptography;
using System.Text;
using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Usage;

/// <summary>A hash of counters per user (<c>usage:{sha256(sub)}</c>), incremented atomically by every replica.</summary>
internal sealed class RedisUsageStore(IConnectionMultiplexer redis, RedisKeyspace keys) : IUsageStore
{
    public async Task RecordAsync(string subject, ChatUsage usage, CancellationToken cancellationToken)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var key = Key(subject);
        var increments = UsageCounters.Of(usage).Select(counter => batch.HashIncrementAsync(key, counter.Field, counter.Amount)).ToList();
        batch.Execute();
        await Task.WhenAll(increments);
    }

    public async Task<IReadOnlyList<ModelUsage>> ListAsync(string subject, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(Key(subject));
        return UsageCounters.Read(entries.Select(entry => (entry.Name.ToString(), (long)entry.Value)));
    }

    private RedisKey Key(string subject) => keys.Key("usage", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..32]);
}
