namespace McpGateway.Limits;

/// <summary>Rate-limit log messages; event ids 8000–8099. Never a user's identifier.</summary>
internal static partial class LimitsLog
{
    [LoggerMessage(8000, LogLevel.Warning, "The shared {Budget} budget could not be read from Redis ({Error}); this replica counts on its own for a few seconds.", EventName = "SharedBudgetUnavailable")]
    public static partial void SharedBudgetUnavailable(ILogger logger, string budget, string error);
}
