namespace McpGateway.Contexts;

/// <summary>Conversation contexts per user; every operation is scoped to the user's subject.</summary>
internal interface IContextStore
{
    /// <returns><see langword="false"/> when the conversation already holds the maximum number of contexts.</returns>
    Task<bool> SaveAsync(string subject, ConversationContext context, int maxPerConversation, TimeSpan timeToLive, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConversationContext>> ListAsync(string subject, string conversationId, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string subject, string conversationId, string contextId, CancellationToken cancellationToken);
}
