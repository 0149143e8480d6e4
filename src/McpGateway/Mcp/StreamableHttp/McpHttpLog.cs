namespace McpGateway.Mcp.StreamableHttp;

/// <summary>Streamable HTTP endpoint log messages; event ids 4100–4199. Never a session id, token, cookie, or message content.</summary>
internal static partial class McpHttpLog
{
    [LoggerMessage(4100, LogLevel.Information, "MCP session {SessionLogId} opened for {Subject} over Streamable HTTP.", EventName = "HttpSessionOpened")]
    public static partial void SessionOpened(ILogger logger, string sessionLogId, string subject);

    [LoggerMessage(4101, LogLevel.Information, "MCP session {SessionLogId} ended: {Status} {Reason}.", EventName = "HttpSessionClosed")]
    public static partial void SessionClosed(ILogger logger, string sessionLogId, string status, string reason);

    [LoggerMessage(4102, LogLevel.Warning, "{Method} /mcp refused ({StatusCode}): {Reason}", EventName = "HttpRequestRefused")]
    public static partial void Refused(ILogger logger, string method, int statusCode, string reason);

    [LoggerMessage(4103, LogLevel.Error, "The bridge of MCP session {SessionLogId} failed.", EventName = "HttpBridgeFailed")]
    public static partial void BridgeFailed(ILogger logger, string sessionLogId, Exception exception);

    [LoggerMessage(4105, LogLevel.Information, "MCP session {SessionLogId} of {Subject} ended to make room for a newer one (Mcp:MaxHttpSessionsPerUser).", EventName = "HttpSessionEvicted")]
    public static partial void SessionEvicted(ILogger logger, string sessionLogId, string subject);

    [LoggerMessage(4106, LogLevel.Information, "MCP session {SessionLogId} of {Subject} resumed on this replica.", EventName = "HttpSessionResumed")]
    public static partial void SessionResumed(ILogger logger, string sessionLogId, string subject);

    [LoggerMessage(4107, LogLevel.Warning, "The binding of an MCP session could not be refreshed ({ExceptionType}).", EventName = "HttpBindingNotRefreshed")]
    public static partial void BindingNotRefreshed(ILogger logger, string exceptionType);

    [LoggerMessage(4104, LogLevel.Debug, "The standalone stream of MCP session {SessionLogId} {Change}.", EventName = "HttpStandaloneStream")]
    public static partial void StandaloneStream(ILogger logger, string sessionLogId, string change);

    [LoggerMessage(4108, LogLevel.Warning, "An event stream of MCP session {SessionLogId} stopped being logged after its client went away ({ExceptionType}): it cannot be resumed to its end.", EventName = "HttpStreamNotLogged")]
    public static partial void StreamNotLogged(ILogger logger, string sessionLogId, string exceptionType);
}
