namespace McpGateway.Usage;

/// <summary>What one chat answer consumed, as the upstream reported it.</summary>
internal sealed record ChatUsage(string Model, string Provider, long PromptTokens, long CompletionTokens, long TotalTokens);
