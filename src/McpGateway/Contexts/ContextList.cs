using System.Text.Json.Serialization;

namespace McpGateway.Contexts;

/// <summary>The answer of a context listing: <c>{contexts: [...]}</c>.</summary>
internal sealed record ContextList([property: JsonPropertyName("contexts")] IReadOnlyList<ConversationContext> Contexts);
