using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

/// <summary>
/// The common request's authentication in one step: cookie → known ticket → cached session, answered with the result
/// made once for that session. When the cookie's ticket is known (<see cref="SessionCookieFormatCache"/>), its session
/// is in <see cref="SessionCache"/>, and nothing is due (not expired, no sliding renewal, within the absolute lifetime),
/// the request is authenticated without the cookie handler; anything else (no or unknown cookie, a cache miss, an
/// expiry, a renewal, the lifetime reached, a chunked cookie) is <see langword="null"/>, and the cookie handler's own
/// path runs, unchanged. Used by <see cref="SessionPolicyEvaluator"/> before any handler is made, and by
/// <see cref="SessionCookieHandler"/> for the requests that reach it.
/// </summary>
internal sealed class CachedSessionAuthentication(IOptionsMonitor<CookieAuthenticationOptions> options, ServerSideTicketStore store, SessionCookieEvents events)
{
    /// <summary>The claim of the cookie's ticket that names the session in the store (the cookie handler's own).</summary>
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public Task<AuthenticateResult>? TryAuthenticate(HttpContext context)
    {
        var current = options.Get(SessionCookie.Scheme);
        if (current.EventsType != typeof(SessionCookieEvents)
            || current.CookieManager.GetRequestCookie(context, current.Cookie.Name!) is not { Length: > 0 } cookie)
        {
            return null;
        }

        var binding = context.Features.Get<ITlsTokenBindingFeature>()?.GetProvidedTokenBindingId();
        var cookieTicket = current.TicketDataFormat.Unprotect(cookie, binding is null ? null : Convert.ToBase64String(binding));
        if (cookieTicket?.Principal.FindFirst(SessionIdClaim)?.Value is not { Length: > 0 } sessionKey
            || store.TryRetrieveCached(sessionKey, context) is not { } session)
        {
            return null;
        }

        var properties = session.Ticket.Properties;
        var now = (current.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (properties.ExpiresUtc is { } expires && expires < now)
        {
            return null;
        }

        if (current.SlidingExpiration && properties.AllowRefresh != false && properties.IssuedUtc is { } issued && properties.ExpiresUtc is { } until
            && until - now < now - issued)
        {
            // More than half the idle timeout has passed: the cookie handler renews the ticket and the cookie.
            return null;
        }

        return events.IsWithinLifetime(properties) ? session.AuthenticateResult : null;
    }
}
