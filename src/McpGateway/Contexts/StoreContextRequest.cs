using System.Text.Json.Serialization;

namespace McpGateway.Contexts;

/// <summary>What a client sends to store a context: REST body, <c>context/store</c> params, or the seed's <c>context_store</c>.</summary>
internal sealed record StoreContextRequest
{
    /// <summary>Optional: an existing id replaces that context; absent, the gateway assigns one.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("conversation_id")]
    public string? ConversationId { get; init; }

    [JsonPropertyName("content")]
    public string? Content { get; init; }

    [JsonPropertyName("metadata")]
    public ContextMetadata? Metadata { get; init; }
}
