using McpGateway.Hosting;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Sessions;

public sealed class SessionCookieSetupTests
{
    [Fact]
    public void Https_origin_gets_a_host_prefixed_secure_http_only_strict_cookie_on_path_root_without_domain()
    {
        var options = Configure("https://chat.example.com");

        Assert.Equal("__Host-Http-mcpgw", options.Cookie.Name);
        Assert.Equal(CookieSecurePolicy.Always, options.Cookie.SecurePolicy);
        Assert.True(options.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Strict, options.Cookie.SameSite);
        Assert.Equal("/", options.Cookie.Path);
        Assert.Null(options.Cookie.Domain);
    }

    [Fact]
    public void Https_cookie_as_written_satisfies_the_host_and_http_prefix_rules()
    {
        var options = Configure("https://chat.example.com");
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http"; // behind a TLS-terminating proxy Kestrel may see http

        var cookie = options.Cookie.Build(context);

        // __Host-: Secure, Path=/, no Domain. __Http-: HttpOnly (a browser refuses the cookie otherwise).
        Assert.StartsWith("__Host-Http-", options.Cookie.Name, StringComparison.Ordinal);
        Assert.True(cookie.Secure);
        Assert.Equal("/", cookie.Path);
        Assert.Null(cookie.Domain);
        Assert.True(cookie.HttpOnly);
    }

    [Fact]
    public void Http_origin_gets_the_unprefixed_cookie_secure_as_the_request()
    {
        var options = Configure("http://127.0.0.1:5000");

        Assert.Equal("mcpgw", options.Cookie.Name);
        Assert.Equal(CookieSecurePolicy.SameAsRequest, options.Cookie.SecurePolicy);
        Assert.True(options.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Strict, options.Cookie.SameSite);
        Assert.Equal("/", options.Cookie.Path);
        Assert.Null(options.Cookie.Domain);
    }

    [Fact]
    public void Cookie_slides_with_the_idle_timeout_and_keeps_the_ticket_server_side()
    {
        var store = NewStore();
        var options = Configure("https://chat.example.com", store, new SessionOptions { IdleTimeout = TimeSpan.FromMinutes(45) });

        Assert.Equal(TimeSpan.FromMinutes(45), options.ExpireTimeSpan);
        Assert.True(options.SlidingExpiration);
        Assert.Same(store, options.SessionStore);
        Assert.Equal(typeof(SessionCookieEvents), options.EventsType);
        Assert.True(options.Cookie.IsEssential);
    }

    [Theory]
    [InlineData("oidc")]
    [InlineData("Cookies")]
    [InlineData("")]
    public void Other_cookie_schemes_are_left_alone(string scheme)
    {
        var options = new CookieAuthenticationOptions();
        var setup = Setup("https://chat.example.com", NewStore(), new SessionOptions());

        setup.Configure(scheme, options);

        Assert.NotEqual(SessionCookie.SecureName, options.Cookie.Name);
        Assert.Null(options.SessionStore);
        Assert.Null(options.EventsType);
    }

    [Fact]
    public void Unnamed_configure_is_the_default_scheme_and_left_alone()
    {
        var options = new CookieAuthenticationOptions();

        Setup("https://chat.example.com", NewStore(), new SessionOptions()).Configure(options);

        Assert.Null(options.SessionStore);
    }

    private static CookieAuthenticationOptions Configure(string origin, ServerSideTicketStore? store = null, SessionOptions? sessions = null)
    {
        var options = new CookieAuthenticationOptions();
        Setup(origin, store ?? NewStore(), sessions ?? new SessionOptions()).Configure(SessionCookie.Scheme, options);
        return options;
    }

    private static SessionCookieSetup Setup(string origin, ServerSideTicketStore store, SessionOptions sessions)
        => new(Options.Create(new GatewayOptions { PublicOrigin = origin }), Options.Create(sessions), store);

    private static ServerSideTicketStore NewStore()
        => new(
            new InMemorySessionRepository(TimeProvider.System),
            new SessionProtector(new EphemeralDataProtectionProvider()),
            Options.Create(new SessionOptions()),
            TimeProvider.System,
            new CapturingLogger<ServerSideTicketStore>());
}
