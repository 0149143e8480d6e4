namespace McpGateway.Sessions;

/// <summary>
/// The session behind the current request, as read once by the cookie handler: its id and its
/// token set. Set as an <see cref="HttpContext"/> feature by <see cref="ServerSideTicketStore"/>.
/// </summary>
internal sealed class ActiveSession(SessionId id, SessionTokens tokens)
{
    public SessionId Id { get; } = id;

    public SessionTokens Tokens { get; set; } = tokens;

    public static ActiveSession? Of(HttpContext context) => context.Features.Get<ActiveSession>();
}
