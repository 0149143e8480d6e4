using System.Text.Json.Serialization;

namespace McpGateway.Proxy;

// The shapes of /api/v2/chat as the gateway documents them. The gateway forwards the body as it is;
// these records exist for the API document only.

/// <summary>A chat request: the conversation so far, and optionally its contexts, a model and streaming.</summary>
internal sealed record ChatRequest(
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("stream")] bool? Stream,
    [property: JsonPropertyName("contexts")] IReadOnlyList<Contexts.ConversationContext>? Contexts);

/// <summary>One message: <c>role</c> is <c>user</c>, <c>assistant</c> or <c>system</c>.</summary>
internal sealed record ChatMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

/// <summary>A complete (non-streamed) answer, with the usage the gateway meters.</summary>
internal sealed record ChatResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("message")] ChatMessage Message,
    [property: JsonPropertyName("usage")] ChatTokenUsage Usage);

internal sealed record ChatTokenUsage(
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens);
