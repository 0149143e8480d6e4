using System.Text.Json.Serialization;

namespace McpGateway.Contexts;

/// <summary>The params of <c>notifications/context/updated</c>: a context was stored or deleted.</summary>
internal sealed record ContextUpdate
{
    public const string Stored = "stored";
    public const string Deleted = "deleted";

    [JsonPropertyName("conversation_id")]
    public required string ConversationId { get; init; }

    [JsonPropertyName("action")]
    public required string Action { get; init; }

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("context")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConversationContext? Context { get; init; }
}
