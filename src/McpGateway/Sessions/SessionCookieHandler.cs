using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

/// <summary>
/// The cookie handler of the session scheme, with one step for the common request: cookie → cached session
/// (<see cref="CachedSessionAuthentication"/>). Anything else takes the cookie handler's own path, unchanged.
/// </summary>
internal sealed class SessionCookieHandler(
    IOptionsMonitor<CookieAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, CachedSessionAuthentication cached)
    : CookieAuthenticationHandler(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        => (Events is SessionCookieEvents ? cached.TryAuthenticate(Context) : null) ?? base.HandleAuthenticateAsync();
}
