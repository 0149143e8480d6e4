namespace McpGateway.Limits;

/// <summary>The <c>RateLimits</c> configuration section: per-user budgets, each a fixed window.</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary><c>POST /api/v2/chat</c> calls per user.</summary>
    public RateLimitBudget Chat { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Gateway and upstream tool calls per user, over REST and over the WebSocket together.</summary>
    public RateLimitBudget Tools { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };
}

internal sealed class RateLimitBudget
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}
