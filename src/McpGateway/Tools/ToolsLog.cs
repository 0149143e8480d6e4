namespace McpGateway.Tools;

/// <summary>
/// Tool log messages; event ids 5000–5099. Arguments, file contents and search queries are user data
/// and are not logged; outcomes, sizes and reasons are.
/// </summary>
internal static partial class ToolsLog
{
    [LoggerMessage(5000, LogLevel.Information, "Gateway tools available: {Tools}.", EventName = "ToolsAvailable")]
    public static partial void ToolsAvailable(ILogger logger, string tools);

    [LoggerMessage(5001, LogLevel.Information, "Gateway tool {Tool} is disabled: {Key} is empty.", EventName = "ToolDisabled")]
    public static partial void ToolDisabled(ILogger logger, string tool, string key);

    [LoggerMessage(5002, LogLevel.Information, "{Subject} called tool {Tool}: {Outcome} in {ElapsedMs} ms.", EventName = "ToolCalled")]
    public static partial void ToolCalled(ILogger logger, string subject, string tool, string outcome, long elapsedMs);

    [LoggerMessage(5003, LogLevel.Error, "Tool {Tool} failed unexpectedly for {Subject}.", EventName = "ToolFailed")]
    public static partial void ToolFailed(ILogger logger, string tool, string subject, Exception exception);

    [LoggerMessage(5004, LogLevel.Debug, "Upstream tool {Tool} is hidden by the gateway tool of the same name.", EventName = "UpstreamToolShadowed")]
    public static partial void UpstreamToolShadowed(ILogger logger, string tool);

    [LoggerMessage(5010, LogLevel.Information, "file_read refused a request of {Subject}: {Reason}.", EventName = "FileReadRefused")]
    public static partial void FileReadRefused(ILogger logger, string subject, string reason);

    [LoggerMessage(5011, LogLevel.Warning, "file_read could not read a file for {Subject} ({ExceptionType}).", EventName = "FileReadFailed")]
    public static partial void FileReadFailed(ILogger logger, string subject, string exceptionType);

    [LoggerMessage(5020, LogLevel.Warning, "web_search failed for {Subject}: {Reason}.", EventName = "WebSearchFailed")]
    public static partial void WebSearchFailed(ILogger logger, string subject, string reason);
}
