using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using McpGateway.Hosting;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Sessions;

/// <summary>
/// The session cookie as the real cookie handler drives it (sign-in, sliding renewal, expiry) over the
/// sessions feature, in an in-process test server with a fake clock.
/// </summary>
public sealed class SessionCookieLifetimeTests : IAsyncLifetime
{
    private const string CookieName = "__Host-Http-mcpgw";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero));
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private string? _cookie;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:PublicOrigin"] = "https://chat.example.com",
            ["Sessions:IdleTimeout"] = "08:00:00",
            ["Sessions:AbsoluteLifetime"] = "1.00:00:00",
        });
        builder.Services.AddRouting();
        builder.Services.AddLogging();
        builder.AddGatewayHosting();
        builder.AddGatewayStorage();
        builder.AddGatewaySessions();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());

        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapPost("/signin", SignInAsync);
        _app.MapGet("/me", (HttpContext context) => context.User.FindFirst("sub")?.Value).RequireAuthorization();
        await _app.StartAsync(Cancellation);
        _client = _app.GetTestClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Sign_in_creates_one_server_side_session_behind_an_opaque_cookie()
    {
        await SignInAsync();

        var sessions = await _app.Services.GetRequiredService<ISessionRepository>().FindBySubjectAsync("alice", Cancellation);
        Assert.Single(sessions);
        Assert.NotNull(_cookie);
        Assert.DoesNotContain("access-token-value", _cookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetMeAsync()).StatusCode);
    }

    [Fact]
    public async Task Request_without_cookie_gets_401_unauthenticated_json()
    {
        using var response = await _client.GetAsync(new Uri("/me", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("unauthenticated", await ErrorAsync(response));
    }

    [Fact]
    public async Task Idle_session_ends_after_the_idle_timeout_and_the_browser_is_told_session_expired()
    {
        await SignInAsync();

        _time.Advance(TimeSpan.FromHours(8) + TimeSpan.FromSeconds(1));
        using var response = await GetMeAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_expired", await ErrorAsync(response));
        Assert.Empty(await _app.Services.GetRequiredService<ISessionRepository>().FindBySubjectAsync("alice", Cancellation));
    }

    [Fact]
    public async Task Session_in_use_slides_past_the_idle_timeout()
    {
        await SignInAsync();

        for (var hour = 5; hour <= 20; hour += 5)
        {
            _time.Advance(TimeSpan.FromHours(5));
            using var response = await GetMeAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Session_in_use_still_ends_at_the_absolute_lifetime()
    {
        await SignInAsync();
        for (var hour = 5; hour <= 20; hour += 5)
        {
            _time.Advance(TimeSpan.FromHours(5));
            using var used = await GetMeAsync();
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        _time.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        using var response = await GetMeAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_expired", await ErrorAsync(response));
    }

    private static async Task SignInAsync(HttpContext context)
    {
        var properties = new AuthenticationProperties();
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = "access_token", Value = "access-token-value" },
            new AuthenticationToken { Name = "refresh_token", Value = "refresh-token-value" },
            new AuthenticationToken { Name = "expires_at", Value = DateTimeOffset.UtcNow.AddHours(1).ToString("o", CultureInfo.InvariantCulture) },
        ]);
        properties.Items[ServerSideTicketStore.ClientIdItem] = "client-1";
        var identity = new ClaimsIdentity([new Claim("sub", "alice"), new Claim("sid", "sid-1")], "oidc", "name", "role");
        await context.SignInAsync(SessionCookie.Scheme, new ClaimsPrincipal(identity), properties);
    }

    private async Task SignInAsync()
    {
        using var response = await _client.PostAsync(new Uri("/signin", UriKind.Relative), null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Remember(response);
    }

    private async Task<HttpResponseMessage> GetMeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/me", UriKind.Relative));
        if (_cookie is not null)
        {
            request.Headers.Add("Cookie", CookieName + "=" + _cookie);
        }

        var response = await _client.SendAsync(request, Cancellation);
        Remember(response);
        return response;
    }

    /// <summary>Keeps the session cookie as a browser would: replaced by each Set-Cookie, dropped when deleted.</summary>
    private void Remember(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            return;
        }

        foreach (var cookie in cookies.Where(cookie => cookie.StartsWith(CookieName + "=", StringComparison.Ordinal)))
        {
            var value = cookie[(CookieName.Length + 1)..].Split(';')[0];
            _cookie = value.Length == 0 ? null : value;
        }
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return body.RootElement.GetProperty("error").GetString();
    }
}
