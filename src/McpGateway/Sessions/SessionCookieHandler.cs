using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

/// <summary>
/// The cookie handler of the session scheme, with one step for the common request: cookie → cached session.
/// When the cookie's ticket is known (<see cref="SessionCookieFormatCache"/>), its session is in
/// <see cref="SessionCache"/>, and nothing is due (not expired, no sliding renewal, within the absolute
/// lifetime), the request is authenticated with the result made once for that cached session. Anything
/// else (no or unknown cookie, a cache miss, an expiry, a renewal, the lifetime reached, a chunked cookie)
/// takes the cookie handler's own path, unchanged.
/// </summary>
internal sealed class SessionCookieHandler(
    IOptionsMonitor<CookieAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, ServerSideTicketStore store)
    : CookieAuthenticationHandler(options, logger, encoder)
{
    /// <summary>The claim of the cookie's ticket that names the session in the store (the cookie handler's own).</summary>
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        => TryCachedSession() ?? base.HandleAuthenticateAsync();

    private Task<AuthenticateResult>? TryCachedSession()
    {
        if (Events is not SessionCookieEvents events || Options.CookieManager.GetRequestCookie(Context, Options.Cookie.Name!) is not { Length: > 0 } cookie)
        {
            return null;
        }

        var binding = Context.Features.Get<ITlsTokenBindingFeature>()?.GetProvidedTokenBindingId();
        var cookieTicket = Options.TicketDataFormat.Unprotect(cookie, binding is null ? null : Convert.ToBase64String(binding));
        if (cookieTicket?.Principal.FindFirst(SessionIdClaim)?.Value is not { Length: > 0 } sessionKey
            || store.TryRetrieveCached(sessionKey, Context) is not { } session)
        {
            return null;
        }

        var properties = session.Ticket.Properties;
        var now = TimeProvider.GetUtcNow();
        if (properties.ExpiresUtc is { } expires && expires < now)
        {
            return null;
        }

        if (Options.SlidingExpiration && properties.AllowRefresh != false && properties.IssuedUtc is { } issued && properties.ExpiresUtc is { } until
            && until - now < now - issued)
        {
            // More than half the idle timeout has passed: the cookie handler renews the ticket and the cookie.
            return null;
        }

        return events.IsWithinLifetime(properties) ? session.AuthenticateResult : null;
    }
}
