namespace McpGateway.Usage;

/// <summary>An amount to add to one of a user's usage counters.</summary>
internal readonly record struct UsageIncrement(string Subject, string Field, long Amount);
