using McpGateway.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

/// <summary>
/// The session cookie: an opaque reference (the ticket lives in <see cref="ServerSideTicketStore"/>),
/// HttpOnly, SameSite=Strict, path /, and <c>__Host-</c> + Secure whenever the public origin is https.
/// </summary>
internal sealed class SessionCookieSetup(
    IOptions<GatewayOptions> gateway,
    IOptions<SessionOptions> sessions,
    ServerSideTicketStore store) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name != SessionCookie.Scheme)
        {
            return;
        }

        var https = gateway.Value.IsHttps;
        options.Cookie.Name = SessionCookie.NameFor(https);
        options.Cookie.HttpOnly = true;
        // Strict: no cross-site request carries it; the pages are static, and the calls the SPA makes are same-site.
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.Path = "/";
        options.Cookie.Domain = null;
        options.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = sessions.Value.IdleTimeout;
        options.SlidingExpiration = true;
        options.SessionStore = store;
        options.CookieManager = new SessionCookieManager();
        options.EventsType = typeof(SessionCookieEvents);
    }

    public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);
}
