using System.Security.Claims;
using McpGateway.Hosting;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Sessions;

public sealed class SessionCookieEventsTests
{
    private static readonly AuthenticationScheme Scheme = new(SessionCookie.Scheme, null, typeof(CookieAuthenticationHandler));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemorySessionRepository _repository;
    private readonly SessionCookieEvents _events;

    public SessionCookieEventsTests()
    {
        _repository = new InMemorySessionRepository(_time);
        _events = new SessionCookieEvents(
            Options.Create(new SessionOptions { IdleTimeout = TimeSpan.FromHours(8), AbsoluteLifetime = TimeSpan.FromHours(24) }),
            new SessionTerminator(_repository, new InMemoryEventBus(new CapturingLogger<InMemoryEventBus>()), new CapturingLogger<SessionTerminator>()),
            _time,
            new CapturingLogger<SessionCookieEvents>());
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Challenge_without_cookie_answers_401_unauthenticated_json_and_never_redirects()
    {
        var context = HttpResponses.NewContext();

        await _events.RedirectToLogin(Redirect(context, "https://chat.example.com"));

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("unauthenticated", context.Response.BodyJson().Property("error"));
        Assert.False(context.Response.Headers.ContainsKey("Location"));
        Assert.False(context.Response.Headers.ContainsKey("Set-Cookie"));
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_with_only_unrelated_cookies_is_unauthenticated()
    {
        var context = HttpResponses.NewContext();
        context.Request.Headers.Cookie = "theme=dark; mcpgw=from-http-dev";

        await _events.RedirectToLogin(Redirect(context, "https://chat.example.com"));

        Assert.Equal("unauthenticated", context.Response.BodyJson().Property("error"));
        Assert.False(context.Response.Headers.ContainsKey("Set-Cookie"));
    }

    [Fact]
    public async Task Challenge_with_a_stale_cookie_answers_session_expired_and_deletes_the_cookie()
    {
        var context = HttpResponses.NewContext();
        context.Request.Headers.Cookie = "__Host-Http-mcpgw=stale-reference";

        await _events.RedirectToLogin(Redirect(context, "https://chat.example.com"));

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("session_expired", context.Response.BodyJson().Property("error"));
        Assert.False(context.Response.Headers.ContainsKey("Location"));
        var deletion = Assert.Single(context.Response.Headers.SetCookie)!.ToLowerInvariant();
        Assert.StartsWith("__host-http-mcpgw=;", deletion, StringComparison.Ordinal);
        Assert.Contains("expires=thu, 01 jan 1970", deletion, StringComparison.Ordinal);
        // A __Host-Http- cookie is only replaced (deleted) by a Set-Cookie that is itself Secure, HttpOnly, path=/ and without Domain.
        Assert.Contains("secure", deletion, StringComparison.Ordinal);
        Assert.Contains("httponly", deletion, StringComparison.Ordinal);
        Assert.Contains("path=/", deletion, StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", deletion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_with_a_stale_development_cookie_deletes_that_cookie()
    {
        var context = HttpResponses.NewContext();
        context.Request.Headers.Cookie = "mcpgw=stale-reference";

        await _events.RedirectToLogin(Redirect(context, "http://127.0.0.1:5000"));

        Assert.Equal("session_expired", context.Response.BodyJson().Property("error"));
        var deletion = Assert.Single(context.Response.Headers.SetCookie);
        Assert.StartsWith("mcpgw=;", deletion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_answers_403_forbidden_json_without_redirect()
    {
        var context = HttpResponses.NewContext();

        await _events.RedirectToAccessDenied(Redirect(context, "https://chat.example.com"));

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal("forbidden", context.Response.BodyJson().Property("error"));
        Assert.False(context.Response.Headers.ContainsKey("Location"));
    }

    [Fact]
    public async Task Principal_is_kept_within_the_absolute_lifetime()
    {
        var context = new DefaultHttpContext();
        var session = await ActiveSessionAsync(context);
        var validation = Validation(context, issued: _time.GetUtcNow() - TimeSpan.FromHours(23));

        await _events.ValidatePrincipal(validation);

        Assert.NotNull(validation.Principal);
        Assert.NotNull(await _repository.GetAsync(session.Id.StorageKey, Cancellation));
    }

    [Fact]
    public async Task Principal_is_rejected_and_the_session_ended_once_the_absolute_lifetime_is_reached()
    {
        var context = new DefaultHttpContext();
        var session = await ActiveSessionAsync(context);
        var validation = Validation(context, issued: _time.GetUtcNow() - TimeSpan.FromHours(24));

        await _events.ValidatePrincipal(validation);

        Assert.Null(validation.Principal);
        Assert.Null(await _repository.GetAsync(session.Id.StorageKey, Cancellation));
    }

    [Fact]
    public async Task Principal_past_the_absolute_lifetime_is_rejected_even_without_an_active_session()
    {
        var validation = Validation(new DefaultHttpContext(), issued: _time.GetUtcNow() - TimeSpan.FromDays(3));

        await _events.ValidatePrincipal(validation);

        Assert.Null(validation.Principal);
    }

    private static RedirectContext<CookieAuthenticationOptions> Redirect(HttpContext context, string origin)
    {
        var options = new CookieAuthenticationOptions();
        new SessionCookieSetup(
                Options.Create(new GatewayOptions { PublicOrigin = origin }),
                Options.Create(new SessionOptions()),
                new ServerSideTicketStore(
                    new InMemorySessionRepository(TimeProvider.System),
                    new SessionProtector(new EphemeralDataProtectionProvider()),
                    Options.Create(new SessionOptions()),
                    TimeProvider.System,
                    new CapturingLogger<ServerSideTicketStore>()))
            .Configure(SessionCookie.Scheme, options);
        return new RedirectContext<CookieAuthenticationOptions>(context, Scheme, options, new AuthenticationProperties(), "/Account/Login?ReturnUrl=%2Fapi");
    }

    private async Task<ActiveSession> ActiveSessionAsync(HttpContext context)
    {
        var id = SessionId.New();
        await _repository.CreateAsync(id.StorageKey, new SessionRecord([1], [2], "alice", "sid-1"), TimeSpan.FromDays(2), Cancellation);
        var session = new ActiveSession(id, new SessionTokens { AccessToken = "at", AccessTokenExpiresAt = _time.GetUtcNow().AddHours(1), ClientId = "c" });
        context.Features.Set(session);
        return session;
    }

    private static CookieValidatePrincipalContext Validation(HttpContext context, DateTimeOffset issued)
    {
        var ticket = new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")], "oidc")),
            new AuthenticationProperties { IssuedUtc = issued, ExpiresUtc = issued + TimeSpan.FromHours(8) },
            SessionCookie.Scheme);
        return new CookieValidatePrincipalContext(context, Scheme, new CookieAuthenticationOptions(), ticket);
    }
}
