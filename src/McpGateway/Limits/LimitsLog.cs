namespace McpGateway.Limits;

/// <summary>Rate-limit log messages; event ids 8000–8099. Never a user's identifier.</summary>
internal static partial class LimitsLog
{
    [LoggerMessage(8000, LogLevel.Warning, "The shared {Budget} budget could not be read from Redis ({Error}); this replica counts on its own for a few seconds.", EventName = "SharedBudgetUnavailable")]
    public static partial void SharedBudgetUnavailable(ILogger logger, string budget, string error);

    [LoggerMessage(8001, LogLevel.Warning, "The shared count of open connections could not be read or written in Redis ({Error}); the per-user cap holds per replica meanwhile.", EventName = "SharedConnectionCountUnavailable")]
    public static partial void SharedConnectionCountUnavailable(ILogger logger, string error);
}
