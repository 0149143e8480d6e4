using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

/// <summary>Wraps the session cookie's ticket format, once the cookie handler has made it, in <see cref="SessionCookieFormatCache"/>.</summary>
internal sealed class SessionCookieFormatSetup : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == SessionCookie.Scheme && options.TicketDataFormat is { } format and not SessionCookieFormatCache)
        {
            options.TicketDataFormat = new SessionCookieFormatCache(format);
        }
    }
}
