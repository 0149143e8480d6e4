namespace McpGateway.Mcp;

/// <summary>MCP bridge log messages; event ids 4000–4099. Never a token, cookie, or message content.</summary>
internal static partial class McpLog
{
    [LoggerMessage(4000, LogLevel.Information, "Socket {SocketId} opened for {Subject} with subprotocol {SubProtocol}.", EventName = "SocketOpened")]
    public static partial void SocketOpened(ILogger logger, string socketId, string subject, string subProtocol);

    [LoggerMessage(4001, LogLevel.Information, "Socket {SocketId} closed: {Status} {Reason}.", EventName = "SocketClosed")]
    public static partial void SocketClosed(ILogger logger, string socketId, string status, string reason);

    [LoggerMessage(4002, LogLevel.Warning, "Socket upgrade refused ({StatusCode}): {Reason}", EventName = "UpgradeRefused")]
    public static partial void UpgradeRefused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(4003, LogLevel.Information, "The upstream lost the MCP session ({Reason}); opening a new one.", EventName = "UpstreamSessionLost")]
    public static partial void UpstreamSessionLost(ILogger logger, string reason);

    [LoggerMessage(4004, LogLevel.Information, "A new upstream MCP session was opened and initialized in place of the lost one.", EventName = "UpstreamSessionRestored")]
    public static partial void UpstreamSessionRestored(ILogger logger);

    [LoggerMessage(4005, LogLevel.Debug, "An upstream answer matched no request in flight and was dropped.", EventName = "UnmatchedUpstreamAnswer")]
    public static partial void UnmatchedUpstreamAnswer(ILogger logger);

    [LoggerMessage(4006, LogLevel.Warning, "Reading the upstream MCP session failed ({ExceptionType}).", EventName = "UpstreamReadFailed")]
    public static partial void UpstreamReadFailed(ILogger logger, string exceptionType);

    [LoggerMessage(4007, LogLevel.Warning, "The server request {Method} could not be relayed ({ExceptionType}).", EventName = "ServerRequestNotRelayed")]
    public static partial void ServerRequestNotRelayed(ILogger logger, string method, string exceptionType);

    [LoggerMessage(4008, LogLevel.Warning, "Request {Method} failed upstream: {Reason}", EventName = "UpstreamRequestFailed")]
    public static partial void UpstreamRequestFailed(ILogger logger, string method, string reason);

    [LoggerMessage(4009, LogLevel.Information, "{Subject} called upstream tool {Tool}: {Outcome} in {ElapsedMs} ms.", EventName = "UpstreamToolCalled")]
    public static partial void UpstreamToolCalled(ILogger logger, string subject, string tool, string outcome, long elapsedMs);

    [LoggerMessage(4010, LogLevel.Information, "The upstream called the gateway tool {Tool}; the gateway answered it.", EventName = "UpstreamCalledGatewayTool")]
    public static partial void UpstreamCalledGatewayTool(ILogger logger, string tool);

    [LoggerMessage(4011, LogLevel.Error, "The bridge of socket {SocketId} failed.", EventName = "BridgeFailed")]
    public static partial void BridgeFailed(ILogger logger, string socketId, Exception exception);

    [LoggerMessage(4012, LogLevel.Error, "Request {Method} failed in the gateway.", EventName = "RequestFailed")]
    public static partial void RequestFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(4013, LogLevel.Warning, "An upstream tools/list entry could not be read and was left out.", EventName = "UnreadableUpstreamTool")]
    public static partial void UnreadableUpstreamTool(ILogger logger);

    [LoggerMessage(4014, LogLevel.Information, "The upstream refused an access token that had not expired (401); retrying once with a refreshed one.", EventName = "UpstreamRejectedToken")]
    public static partial void UpstreamRejectedToken(ILogger logger);

    [LoggerMessage(4130, LogLevel.Debug, "The upstream session's standalone stream is opened: {Reason}.", EventName = "StandaloneStreamOpened")]
    public static partial void StandaloneStreamOpened(ILogger logger, string reason);

    [LoggerMessage(4131, LogLevel.Information, "The upstream answered the standalone stream's GET with 404: the session is over.", EventName = "StandaloneStreamSessionLost")]
    public static partial void StandaloneStreamSessionLost(ILogger logger);

    [LoggerMessage(4132, LogLevel.Debug, "The upstream offers no standalone stream (HTTP {Status}).", EventName = "StandaloneStreamRefused")]
    public static partial void StandaloneStreamRefused(ILogger logger, int status);

    [LoggerMessage(4133, LogLevel.Warning, "The upstream session's standalone stream failed ({ExceptionType}); reconnecting.", EventName = "StandaloneStreamFailed")]
    public static partial void StandaloneStreamFailed(ILogger logger, string exceptionType);

    [LoggerMessage(4134, LogLevel.Warning, "The upstream session's standalone stream ended {Attempts} times in a row; it stays closed, requests still work.", EventName = "StandaloneStreamGaveUp")]
    public static partial void StandaloneStreamGaveUp(ILogger logger, int attempts);

    [LoggerMessage(4135, LogLevel.Information, "An upstream request's event stream ended before its answer; resuming it with Last-Event-ID.", EventName = "UpstreamStreamResumed")]
    public static partial void UpstreamStreamResumed(ILogger logger);

    [LoggerMessage(4136, LogLevel.Information, "A call the lost socket left unanswered was answered from its resumed upstream stream.", EventName = "InFlightCallRecovered")]
    public static partial void InFlightCallRecovered(ILogger logger);

    [LoggerMessage(4137, LogLevel.Warning, "A call the lost socket left unanswered could not be recovered ({ExceptionType}); the browser is told it may or may not have run.", EventName = "InFlightCallNotRecovered")]
    public static partial void InFlightCallNotRecovered(ILogger logger, string exceptionType);
}
