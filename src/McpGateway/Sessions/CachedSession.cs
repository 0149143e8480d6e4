using Microsoft.AspNetCore.Authentication;

namespace McpGateway.Sessions;

/// <summary>
/// A session as <see cref="SessionCache"/> keeps it, decrypted: the ticket (shared by every request that
/// hits the entry, so read-only), the tokens, and what each hit would otherwise compute again.
/// </summary>
internal sealed class CachedSession(AuthenticationTicket ticket, SessionTokens tokens)
{
    public AuthenticationTicket Ticket { get; } = ticket;

    public SessionTokens Tokens { get; } = tokens;

    public string? Subject { get; } = ticket.Principal.FindFirst("sub")?.Value;

    /// <summary>The ticket as the completed task the session store answers with: a hit allocates no task.</summary>
    public Task<AuthenticationTicket?> TicketTask { get; } = Task.FromResult<AuthenticationTicket?>(ticket);

    /// <summary>What <see cref="SessionCookieHandler"/> answers for a request of this session when nothing is due.</summary>
    public Task<AuthenticateResult> AuthenticateResult { get; } =
        Task.FromResult(Microsoft.AspNetCore.Authentication.AuthenticateResult.Success(new AuthenticationTicket(ticket.Principal, ticket.Properties, SessionCookie.Scheme)));
}
