namespace McpGateway.Connectors.Routing;

/// <summary>Connector routing log messages; event ids 9000–9049. Never a token or message content.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(9000, LogLevel.Warning, "The connector {Connector} did not take the browser's initialize ({Reason}); its tools are missing until it does.", EventName = "ConnectorInitializeFailed")]
    public static partial void ConnectorInitializeFailed(ILogger logger, string connector, string reason);

    [LoggerMessage(9001, LogLevel.Warning, "The connector {Connector} was left out of {Method}: {State} ({Reason}).", EventName = "ConnectorLeftOut")]
    public static partial void ConnectorLeftOut(ILogger logger, string connector, string method, string state, string reason);

    [LoggerMessage(9002, LogLevel.Warning, "{Name} of the connector {Loser} was dropped from the merged list: {Winner} has it already.", EventName = "ListEntryDropped")]
    public static partial void ListEntryDropped(ILogger logger, string name, string winner, string loser);

    [LoggerMessage(9003, LogLevel.Warning, "Request {Method} failed at the connector {Connector}: {Reason}", EventName = "ConnectorRequestFailed")]
    public static partial void ConnectorRequestFailed(ILogger logger, string connector, string method, string reason);

    [LoggerMessage(9004, LogLevel.Warning, "The notification {Method} could not reach the connector {Connector} ({ExceptionType}).", EventName = "ConnectorNotificationFailed")]
    public static partial void ConnectorNotificationFailed(ILogger logger, string connector, string method, string exceptionType);

    [LoggerMessage(9005, LogLevel.Debug, "A browser answer matched no open server request and was dropped.", EventName = "UnmatchedServerRequestAnswer")]
    public static partial void UnmatchedServerRequestAnswer(ILogger logger);

    [LoggerMessage(9006, LogLevel.Information, "{Method} named {Name}, which no connector owns; nothing was relayed.", EventName = "UnroutedName")]
    public static partial void UnroutedName(ILogger logger, string method, string name);
}
