namespace McpGateway.Sessions;

/// <summary>
/// The session behind the current request, as read once by the cookie handler: its id, its subject and
/// its token set. Set as an <see cref="HttpContext"/> feature by <see cref="ServerSideTicketStore"/>, so
/// that what runs after authentication (the token service, the rate limiter, usage metering) reads it
/// here instead of searching the principal's claims again.
/// </summary>
internal sealed class ActiveSession(SessionId id, SessionTokens tokens, string? subject = null)
{
    public SessionId Id { get; } = id;

    public SessionTokens Tokens { get; set; } = tokens;

    /// <summary>The user's <c>sub</c>, when the store knew it (always for a session it read).</summary>
    public string? Subject { get; } = subject;

    public static ActiveSession? Of(HttpContext context) => context.Features.Get<ActiveSession>();

    /// <summary>The signed-in user's <c>sub</c>: from the session when there is one, else from the principal.</summary>
    public static string? SubjectOf(HttpContext context)
        => Of(context)?.Subject ?? context.User.FindFirst("sub")?.Value;
}
