using System.Text.Json.Serialization;

namespace McpGateway.Contexts;

/// <summary>A piece of a conversation's context, kept per user (the seed's <c>context_store</c> shape).</summary>
internal sealed record ConversationContext
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("conversation_id")]
    public required string ConversationId { get; init; }

    [JsonPropertyName("content")]
    public required string Content { get; init; }

    [JsonPropertyName("metadata")]
    public required ContextMetadata Metadata { get; init; }
}

internal sealed record ContextMetadata
{
    [JsonPropertyName("timestamp")]
    public DateTimeOffset Timestamp { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("tokens_used")]
    public long? TokensUsed { get; init; }
}
