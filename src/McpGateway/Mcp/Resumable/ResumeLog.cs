namespace McpGateway.Mcp.Resumable;

/// <summary>WebSocket session resumption log messages; event ids 4110–4129. Never a resume handle or an upstream session id.</summary>
internal static partial class ResumeLog
{
    [LoggerMessage(4110, LogLevel.Information, "Socket {SocketId} of {Subject} resumed its MCP session (its upstream session is joined, not re-initialized).", EventName = "SocketSessionResumed")]
    public static partial void Resumed(ILogger logger, string socketId, string subject);

    [LoggerMessage(4111, LogLevel.Information, "Socket {SocketId} of {Subject} asked to resume an unknown or expired MCP session; a new one is started.", EventName = "SocketResumeUnknown")]
    public static partial void Unknown(ILogger logger, string socketId, string subject);

    [LoggerMessage(4112, LogLevel.Warning, "Socket {SocketId} of {Subject} was refused: its resume handle belongs to another sign-in session.", EventName = "SocketResumeForeign")]
    public static partial void Foreign(ILogger logger, string socketId, string subject);

    [LoggerMessage(4113, LogLevel.Information, "Socket {SocketId} lost ({Status}): its MCP session stays resumable for {Seconds} s.", EventName = "SocketSessionKept")]
    public static partial void Kept(ILogger logger, string socketId, string status, double seconds);

    [LoggerMessage(4114, LogLevel.Warning, "The resume binding of socket {SocketId} could not be stored or refreshed ({ExceptionType}); the socket works, its resumption elsewhere may fail.", EventName = "SocketBindingNotStored")]
    public static partial void NotStored(ILogger logger, string socketId, string exceptionType);

    [LoggerMessage(4116, LogLevel.Warning, "A resume handle of {Subject} could not be looked up ({ExceptionType}); a new MCP session is started.", EventName = "SocketResumeLookupFailed")]
    public static partial void LookupFailed(ILogger logger, string subject, string exceptionType);

    [LoggerMessage(4115, LogLevel.Debug, "Socket {SocketId} closed ({Status}): its MCP session ended for good.", EventName = "SocketSessionEnded")]
    public static partial void Ended(ILogger logger, string socketId, string status);
}
