using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>Test access to what a session cookie refers to: the gateway's own cookie format unprotects it.</summary>
internal static class SessionCookieReader
{
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public static Task<string> ReadReferenceAsync(GatewayHost gateway, string cookieValue)
    {
        var options = gateway.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(SessionCookie.Scheme);
        var ticket = options.TicketDataFormat.Unprotect(cookieValue)
            ?? throw new InvalidOperationException("The session cookie could not be unprotected.");
        return Task.FromResult(ticket.Principal.FindFirst(SessionIdClaim)!.Value);
    }
}
