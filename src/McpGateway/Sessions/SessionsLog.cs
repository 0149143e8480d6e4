namespace McpGateway.Sessions;

/// <summary>Session log messages; event ids 2000–2099. A session appears only as its <see cref="SessionId"/> digest.</summary>
internal static partial class SessionsLog
{
    [LoggerMessage(2000, LogLevel.Information, "Session {Session} created for client {ClientId}.", EventName = "SessionCreated")]
    public static partial void SessionCreated(ILogger logger, SessionId session, string clientId);

    [LoggerMessage(2001, LogLevel.Information, "Session {Session} removed.", EventName = "SessionRemoved")]
    public static partial void SessionRemoved(ILogger logger, SessionId session);

    [LoggerMessage(2002, LogLevel.Warning, "Session {Session} could not be decrypted (data-protection key missing?) and was removed.", EventName = "SessionUnreadable")]
    public static partial void SessionUnreadable(ILogger logger, SessionId session);

    [LoggerMessage(2003, LogLevel.Information, "Session {Session} ended: {Reason}.", EventName = "SessionEnded")]
    public static partial void SessionEnded(ILogger logger, string session, string reason);

    [LoggerMessage(2004, LogLevel.Information, "Session {Session} reached its absolute lifetime and was ended.", EventName = "SessionLifetimeReached")]
    public static partial void SessionLifetimeReached(ILogger logger, SessionId session);
}
