using System.Text.Json.Serialization;

namespace McpGateway.Usage;

/// <summary>A user's totals for one model: what <c>GET /api/usage</c> lists.</summary>
internal sealed record ModelUsage
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("provider")]
    public required string Provider { get; init; }

    [JsonPropertyName("requests")]
    public long Requests { get; init; }

    [JsonPropertyName("prompt_tokens")]
    public long PromptTokens { get; init; }

    [JsonPropertyName("completion_tokens")]
    public long CompletionTokens { get; init; }

    [JsonPropertyName("total_tokens")]
    public long TotalTokens { get; init; }
}
