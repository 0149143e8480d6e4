using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpGateway.Hosting;
using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Contexts;

/// <summary>A hash per user and conversation (<c>contexts:{sha256(sub)}:{conversation}</c>), one field per context, expiring as a whole.</summary>
internal sealed class RedisContextStore(IConnectionMultiplexer redis, RedisKeyspace keys) : IContextStore
{
    public async Task<bool> SaveAsync(string subject, ConversationContext context, int maxPerConversation, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var key = Key(subject, context.ConversationId);
        var value = JsonSerializer.SerializeToUtf8Bytes(context, GatewayJsonContext.Default.ConversationContext);
        var transaction = redis.GetDatabase().CreateTransaction();
        if (!await redis.GetDatabase().HashExistsAsync(key, context.Id))
        {
            // A new context only while the conversation is under its cap; a replacement always.
            transaction.AddCondition(Condition.HashLengthLessThan(key, maxPerConversation));
        }

        _ = transaction.HashSetAsync(key, context.Id, value);
        _ = transaction.KeyExpireAsync(key, timeToLive);
        return await transaction.ExecuteAsync();
    }

    public async Task<IReadOnlyList<ConversationContext>> ListAsync(string subject, string conversationId, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().HashValuesAsync(Key(subject, conversationId));
        return [.. entries
            .Select(entry => JsonSerializer.Deserialize((byte[])entry!, GatewayJsonContext.Default.ConversationContext)!)
            .OrderBy(context => context.Instant)
            .ThenBy(context => context.Id, StringComparer.Ordinal)];
    }

    public Task<bool> DeleteAsync(string subject, string conversationId, string contextId, CancellationToken cancellationToken)
        => redis.GetDatabase().HashDeleteAsync(Key(subject, conversationId), contextId);

    /// <summary>The subject is hashed so that no character of it can run into the conversation id.</summary>
    private RedisKey Key(string subject, string conversationId)
        => keys.Key("contexts", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..32] + ":" + conversationId);
}
