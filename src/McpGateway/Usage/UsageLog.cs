namespace McpGateway.Usage;

/// <summary>Usage metering log messages; event ids 7000–7099. Never a user's identifier.</summary>
internal static partial class UsageLog
{
    [LoggerMessage(7000, LogLevel.Warning, "Writing the usage counters failed ({ExceptionType}); they are kept and written with the next flush.", EventName = "UsageFlushFailed")]
    public static partial void FlushFailed(ILogger logger, string exceptionType);
}
