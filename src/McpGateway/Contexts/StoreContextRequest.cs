using System.Text.Json;
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

    /// <summary>Any JSON value; <see langword="null"/> when missing or JSON <c>null</c>, which is refused.</summary>
    [JsonPropertyName("content")]
    public JsonElement? Content { get; init; }

    [JsonPropertyName("metadata")]
    public ContextMetadata? Metadata { get; init; }
}
