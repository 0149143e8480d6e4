using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Hostile;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// The OpenID provider unreachable while a session needs a refresh. The provider is cut off by a TCP
/// proxy instead of being stopped: the development provider keeps clients and grants in memory, so a
/// restart is a different fault (everything forgotten), tested on its own below.
/// </summary>
[Collection(nameof(FaultCollection))]
public sealed class AuthorityOutageTests(FaultStack stack, ITestOutputHelper output)
{
    private const int AccessTokenTtlSeconds = 4;
    private static readonly TimeSpan BackchannelTimeout = TimeSpan.FromSeconds(2);
    private static readonly object Question = new { messages = new[] { new { role = "user", content = "are you there" } } };

    [Fact]
    public async Task A_provider_that_refuses_or_hangs_during_a_refresh_gets_503_the_session_is_kept_and_the_refresh_succeeds_once_it_is_back()
    {
        await using var rig = await OutageRig.StartAsync(stack, AccessTokenTtlSeconds, BackchannelTimeout);
        var (provider, gateway) = (rig.Provider, rig.Gateway);
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("patience");
        var session = SessionId.Parse(await SessionCookieReader.ReadReferenceAsync(gateway, browser.GatewayCookie(SessionCookie.DevelopmentName)!.Value));
        var tokens = gateway.GetRequiredService<SessionTokenService>();
        var before = (await tokens.ReadAsync(session, CancellationToken.None))!;
        await using var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();
        Assert.Equal("Echo: hello", Text(await socket.RequestAsync(1, "tools/call", new { name = "echo", arguments = new { message = "hello" } })));

        // Refused: the host is down.
        provider.Proxy.Refuse();
        await Task.Delay(before.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        await AssertUnavailableButKeptAsync(browser, "patience", socket, TimeSpan.FromSeconds(3), id: 2, checkSignIn: true);

        // Blackholed: the host accepts connections and never answers; the gateway gives up after its backchannel timeout.
        provider.Proxy.Blackhole();
        await AssertUnavailableButKeptAsync(browser, "patience", socket, BackchannelTimeout + TimeSpan.FromSeconds(4), id: 4, checkSignIn: true);

        var kept = (await tokens.ReadAsync(session, CancellationToken.None))!;
        Assert.Equal(before.RefreshToken, kept.RefreshToken);
        Assert.Equal(before.AccessToken, kept.AccessToken);

        // Back: the next call refreshes (or the socket's upstream stream already did: either way once), and the same cookie and
        // the same socket go on. Nothing reached the provider while it was cut off, so its count is read before it is reachable.
        var refreshes = await provider.CountAsync("token", "refresh_token");
        provider.Proxy.Forward();
        using (var answered = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question)))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        var after = (await tokens.ReadAsync(session, CancellationToken.None))!;
        Assert.NotEqual(before.AccessToken, after.AccessToken);
        Assert.NotEqual(before.RefreshToken, after.RefreshToken);
        Assert.True(after.AccessTokenExpiresAt > DateTimeOffset.UtcNow);
        Assert.Equal(refreshes + 1, await provider.CountAsync("token", "refresh_token"));
        await browser.AssertSignedInAsync("patience");
        Assert.Equal("Echo: again", Text(await socket.RequestAsync(6, "tools/call", new { name = "echo", arguments = new { message = "again" } })));
        Assert.Equal(WebSocketState.Open, socket.Socket.State);

        // The refused, hung and finally successful refreshes were logged without a token: the old pair, the new pair, the cookie.
        GatewaySecrets.AssertNotInLogs(gateway, [.. await GatewaySecrets.CollectAsync(gateway, browser), before.AccessToken, before.RefreshToken!]);
    }

    [Fact]
    public async Task A_provider_restarted_without_its_state_ends_the_sessions_cleanly_and_users_can_sign_in_again()
    {
        await using var rig = await OutageRig.StartAsync(stack, AccessTokenTtlSeconds, BackchannelTimeout);
        var (provider, gateway) = (rig.Provider, rig.Gateway);
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("amnesia");
        await using var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();
        var forgottenSecrets = await GatewaySecrets.CollectAsync(gateway, browser);

        // The development provider keeps clients, grants and signing keys in memory: a new process has none of them.
        await provider.KillAsync();
        await provider.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(AccessTokenTtlSeconds));

        // Until the gateway has found out, calls may get 503; they must never fail otherwise, and the session ends with 401.
        var clock = Stopwatch.StartNew();
        var seen = new List<string>();
        HttpStatusCode status;
        do
        {
            using var call = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question));
            var body = await call.Content.ReadAsStringAsync();
            status = call.StatusCode;
            seen.Add($"{(int)status} {body}");
            Assert.True(status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.Unauthorized, $"unexpected answer: {(int)status} {body}");
            Assert.Null(GatewayInternals.Find(body));
            if (status == HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(250);
            }
        }
        while (status != HttpStatusCode.Unauthorized && clock.Elapsed < TimeSpan.FromSeconds(45));

        output.WriteLine($"{seen.Count} calls until the session ended after {clock.Elapsed.TotalSeconds:F1} s:\n{string.Join('\n', seen.Distinct())}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("session_expired", seen[^1], StringComparison.Ordinal);
        var (closed, reason) = await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4401, (int?)closed);
        output.WriteLine("socket closed: " + reason);

        // Signing in again works against the provider's new keys and the gateway's new registration
        // (a second attempt may be needed while the gateway is still registering again: sign-in answers 503 meanwhile).
        var attempts = 0;
        HttpResponseMessage final;
        do
        {
            attempts++;
            final = await browser.LoginAsync("amnesia", "/after");
        }
        while (final.Headers.Location?.OriginalString != "/after" && attempts < 3);

        output.WriteLine($"signed in again after {attempts} attempt(s): {final.Headers.Location}");
        Assert.Equal("/after", final.Headers.Location?.OriginalString);
        await browser.AssertSignedInAsync("amnesia");
        using var answered = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        GatewaySecrets.AssertNotInLogs(gateway, [.. forgottenSecrets, .. await GatewaySecrets.CollectAsync(gateway, browser)]);
    }

    [Fact]
    public async Task The_first_sign_in_after_the_provider_changed_its_signing_keys_succeeds()
    {
        await using var rig = await OutageRig.StartAsync(stack, AccessTokenTtlSeconds, BackchannelTimeout);
        var (provider, gateway) = (rig.Provider, rig.Gateway);
        using var first = gateway.CreateBrowser();
        await first.LoginAsync("before-rotation");
        var beforeRotation = await GatewaySecrets.CollectAsync(gateway, first);

        // The new provider process has new signing keys (and no clients: a signed-in session's refresh makes the gateway register again).
        await provider.KillAsync();
        await provider.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(AccessTokenTtlSeconds));
        var registration = gateway.GetRequiredService<McpGateway.Auth.Registration.ClientRegistrationState>();
        var forgotten = registration.Current!.ClientId;
        await GatewayAssertions.EventuallyAsync(async () =>
        {
            using var session = await first.GetAsync("/auth/session");
            return registration.Current?.ClientId is { } current && current != forgotten;
        }, TimeSpan.FromSeconds(30), "the gateway registered again");

        using var browser = gateway.CreateBrowser();
        var final = await browser.LoginAsync("after-rotation", "/after");

        Assert.Equal("/after", final.Headers.Location?.OriginalString);
        await browser.AssertSignedInAsync("after-rotation");
        GatewaySecrets.AssertNotInLogs(gateway, [.. beforeRotation, .. await GatewaySecrets.CollectAsync(gateway, browser)]);
    }

    [Fact]
    public async Task Starting_a_sign_in_while_the_provider_hangs_is_503_json()
    {
        await using var rig = await OutageRig.StartAsync(stack, AccessTokenTtlSeconds, BackchannelTimeout);
        var (provider, gateway) = (rig.Provider, rig.Gateway);

        provider.Proxy.Blackhole();

        await AssertSignInUnavailableAsync(gateway.BaseAddress, BackchannelTimeout + TimeSpan.FromSeconds(4));
        GatewaySecrets.AssertNotInLogs(gateway, await GatewaySecrets.CollectAsync(gateway));
    }

    [Fact]
    public async Task After_the_provider_forgot_the_client_sign_in_is_503_until_the_gateway_has_registered_again_then_works()
    {
        await using var rig = await OutageRig.StartAsync(stack, AccessTokenTtlSeconds, BackchannelTimeout);
        var (provider, gateway) = (rig.Provider, rig.Gateway);
        var forgottenClient = await GatewaySecrets.CollectAsync(gateway);

        await provider.KillAsync();
        await provider.StartAgainAsync();

        using var probe = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gateway.BaseAddress };
        var answers = new List<string>();
        await GatewayAssertions.EventuallyAsync(async () =>
        {
            using var login = await probe.GetAsync("/auth/login?returnUrl=/");
            var body = await login.Content.ReadAsStringAsync();
            answers.Add($"{(int)login.StatusCode} {LoadJournal.ErrorCodeOf(body)}");
            Assert.True(login.StatusCode is HttpStatusCode.Found or HttpStatusCode.ServiceUnavailable, $"sign-in answered {(int)login.StatusCode}: {body}");
            return login.StatusCode == HttpStatusCode.Found;
        }, TimeSpan.FromSeconds(30), "sign-in is offered again");
        output.WriteLine("answers: " + string.Join(", ", answers.Distinct()));

        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("newcomer");
        await browser.AssertSignedInAsync("newcomer");
        GatewaySecrets.AssertNotInLogs(gateway, [.. forgottenClient, .. await GatewaySecrets.CollectAsync(gateway, browser)]);
    }

    private async Task AssertSignInUnavailableAsync(Uri gateway, TimeSpan bound)
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gateway };
        var clock = Stopwatch.StartNew();
        using var login = await anonymous.GetAsync("/auth/login?returnUrl=/");
        var body = await login.Content.ReadAsStringAsync();
        output.WriteLine($"sign-in while the provider is cut off: {(int)login.StatusCode} in {clock.ElapsedMilliseconds} ms: {body}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.Equal("temporarily_unavailable", LoadJournal.ErrorCodeOf(body));
        Assert.Null(GatewayInternals.Find(body));
        Assert.True(clock.Elapsed < bound, $"the 503 took {clock.Elapsed}");
    }

    /// <summary>The token expired and cannot be refreshed: 503 at once, the session and the socket stay.</summary>
    private async Task AssertUnavailableButKeptAsync(Browser browser, string user, RawSocket socket, TimeSpan bound, int id, bool checkSignIn)
    {
        var clock = Stopwatch.StartNew();
        using (var chat = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question)))
        {
            var body = await chat.Content.ReadAsStringAsync();
            output.WriteLine($"chat while the provider is cut off: {(int)chat.StatusCode} in {clock.ElapsedMilliseconds} ms: {body}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, chat.StatusCode);
            Assert.Equal("temporarily_unavailable", LoadJournal.ErrorCodeOf(body));
            Assert.NotNull(chat.Headers.RetryAfter);
            Assert.Null(GatewayInternals.Find(body));
        }

        Assert.True(clock.Elapsed < bound, $"the 503 took {clock.Elapsed}");
        await browser.AssertSignedInAsync(user);

        if (checkSignIn)
        {
            await AssertSignInUnavailableAsync(browser.Gateway, bound);
        }

        var upstream = await socket.RequestAsync(id, "tools/call", new { name = "echo", arguments = new { message = "while cut off" } });
        Assert.Equal(-32000, upstream.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("refreshed", upstream.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("3", Text(await socket.RequestAsync(id + 1, "tools/call", new { name = "calculator", arguments = new { expression = "1+2" } })));
        Assert.Equal(WebSocketState.Open, socket.Socket.State);
    }

    private static string? Text(JsonElement response)
        => response.TryGetProperty("result", out var result)
            ? result.GetProperty("content")[0].GetProperty("text").GetString()
            : "error: " + response.GetRawText();
}
