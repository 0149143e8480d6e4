namespace McpGateway.Hosting;

/// <summary>Hosting log messages; event ids 100–199.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(100, LogLevel.Warning, "Request {Path} failed: the session store is unavailable ({ExceptionType}).", EventName = "StoreUnavailable")]
    public static partial void StoreUnavailable(ILogger logger, PathString path, string exceptionType);

    [LoggerMessage(101, LogLevel.Error, "Request {Path} failed with an unhandled exception.", EventName = "UnhandledException")]
    public static partial void UnhandledException(ILogger logger, PathString path, Exception exception);

    [LoggerMessage(102, LogLevel.Debug, "Request {Path} was refused with {StatusCode}: its body could not be read.", EventName = "BadRequestBody")]
    public static partial void BadRequestBody(ILogger logger, PathString path, int statusCode);

    [LoggerMessage(103, LogLevel.Warning, "The session-count gauge kept its last value: the session store is unavailable ({ExceptionType}).", EventName = "GaugeStoreUnavailable")]
    public static partial void GaugeStoreUnavailable(ILogger logger, string exceptionType);

    [LoggerMessage(104, LogLevel.Warning, "The session-count gauge kept its last value: sampling failed.", EventName = "GaugeSampleFailed")]
    public static partial void GaugeSampleFailed(ILogger logger, Exception exception);
}
