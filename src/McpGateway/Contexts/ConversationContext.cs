using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Contexts;

/// <summary>
/// A piece of a conversation's context, kept per user: the seed's <c>MCPContext</c>
/// <c>{id, conversation_id, content, metadata}</c>, where <c>content</c> is any JSON value but null.
/// </summary>
internal sealed record ConversationContext
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("conversation_id")]
    public required string ConversationId { get; init; }

    /// <summary>Kept exactly as it came: a string, number, boolean, array or object.</summary>
    [JsonPropertyName("content")]
    public required JsonElement Content { get; init; }

    [JsonPropertyName("metadata")]
    public required ContextMetadata Metadata { get; init; }

    /// <summary>The time the contexts of a conversation are ordered by.</summary>
    [JsonIgnore]
    public DateTimeOffset Instant => Metadata.Timestamp?.Instant ?? default;

    public bool Equals(ConversationContext? other)
        => other is not null && Id == other.Id && ConversationId == other.ConversationId && Metadata == other.Metadata
            && JsonElement.DeepEquals(Content, other.Content);

    public override int GetHashCode() => HashCode.Combine(Id, ConversationId, Metadata);
}
