using System.Collections.Concurrent;

namespace McpGateway.Contexts;

/// <summary>Single-instance mode: contexts live as long as the process.</summary>
internal sealed class InMemoryContextStore(TimeProvider time) : IContextStore
{
    private readonly ConcurrentDictionary<(string Subject, string Conversation), Conversation> _conversations = new();

    public Task<bool> SaveAsync(string subject, ConversationContext context, int maxPerConversation, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var conversation = Live(subject, context.ConversationId, create: true)!;
        lock (conversation)
        {
            if (!conversation.Contexts.ContainsKey(context.Id) && conversation.Contexts.Count >= maxPerConversation)
            {
                return Task.FromResult(false);
            }

            conversation.Contexts[context.Id] = context;
            conversation.ExpiresAt = time.GetUtcNow() + timeToLive;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<ConversationContext>> ListAsync(string subject, string conversationId, CancellationToken cancellationToken)
    {
        if (Live(subject, conversationId, create: false) is not { } conversation)
        {
            return Task.FromResult<IReadOnlyList<ConversationContext>>([]);
        }

        lock (conversation)
        {
            return Task.FromResult<IReadOnlyList<ConversationContext>>(
                [.. conversation.Contexts.Values.OrderBy(context => context.Instant).ThenBy(context => context.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> DeleteAsync(string subject, string conversationId, string contextId, CancellationToken cancellationToken)
    {
        if (Live(subject, conversationId, create: false) is not { } conversation)
        {
            return Task.FromResult(false);
        }

        lock (conversation)
        {
            return Task.FromResult(conversation.Contexts.Remove(contextId));
        }
    }

    private Conversation? Live(string subject, string conversationId, bool create)
    {
        var key = (subject, conversationId);
        if (_conversations.TryGetValue(key, out var existing) && existing.ExpiresAt <= time.GetUtcNow())
        {
            _conversations.TryRemove(new KeyValuePair<(string, string), Conversation>(key, existing));
            existing = null;
        }

        return existing ?? (create ? _conversations.GetOrAdd(key, _ => new Conversation { ExpiresAt = time.GetUtcNow() + TimeSpan.FromMinutes(1) }) : null);
    }

    private sealed class Conversation
    {
        public Dictionary<string, ConversationContext> Contexts { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
