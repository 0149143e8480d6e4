using System.Net;
using McpGateway.Auth.Registration;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Auth;

[Collection(nameof(AuthStackCollection))]
public sealed class SessionTests(AuthStack stack)
{
    [Fact]
    public async Task A_session_works_on_a_second_replica_and_after_a_restart()
    {
        // Replicas share the public origin; here the first replica is the one the provider redirects to.
        var port = FreePort.Next();
        var settings = stack.Settings() with { PublicOrigin = new Uri("http://127.0.0.1:" + port) };
        var first = GatewayHost.Start(settings, port);
        await first.WaitUntilReadyAsync();
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("bob");

        // Cookies of 127.0.0.1 go to every port, as they go to every replica behind one load balancer.
        await using (var second = GatewayHost.Start(settings))
        {
            await second.WaitUntilReadyAsync();
            using var viaSecond = second.CreateBrowser();
            viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
            await viaSecond.AssertSignedInAsync("bob");
        }

        await first.DisposeAsync();
        await using var restarted = GatewayHost.Start(settings, port);
        await restarted.WaitUntilReadyAsync();
        await browser.AssertSignedInAsync("bob");
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_and_the_rotated_refresh_token_is_stored()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("carol");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = gateway.GetRequiredService<SessionTokenService>();
        var before = (await tokens.ReadAsync(id, CancellationToken.None))!;
        var refreshes = await stack.Provider.CountAsync("token", "refresh_token");

        await Task.Delay(before.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        Assert.False(await stack.Provider.IsActiveAsync(before.AccessToken));
        await browser.AssertSignedInAsync("carol");

        var after = (await tokens.ReadAsync(id, CancellationToken.None))!;
        Assert.NotEqual(before.AccessToken, after.AccessToken);
        Assert.NotEqual(before.RefreshToken, after.RefreshToken);
        Assert.True(after.AccessTokenExpiresAt > DateTimeOffset.UtcNow);
        Assert.True(await stack.Provider.IsActiveAsync(after.AccessToken));
        Assert.Equal(refreshes + 1, await stack.Provider.CountAsync("token", "refresh_token"));
    }

    [Fact]
    public async Task Fifty_parallel_calls_on_an_expiring_token_across_two_replicas_cause_one_refresh()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("dave");
        using var viaSecond = second.CreateBrowser();
        viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(first, browser));
        var expires = (await first.GetRequiredService<SessionTokenService>().ReadAsync(id, CancellationToken.None))!.AccessTokenExpiresAt;
        await Task.Delay(expires - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500));
        var refreshes = await stack.Provider.CountAsync("token", "refresh_token");

        var calls = Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? browser : viaSecond).GetAsync("/auth/session"));
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(refreshes + 1, await stack.Provider.CountAsync("token", "refresh_token"));
        await browser.AssertSignedInAsync("dave");
    }

    [Fact]
    public async Task A_refresh_refused_with_invalid_grant_ends_the_session_with_401_session_expired()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("ivan");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = (await gateway.GetRequiredService<SessionTokenService>().ReadAsync(id, CancellationToken.None))!;
        var client = gateway.GetRequiredService<ClientRegistrationState>().Current!;
        // Revoked as the gateway's client would (RFC 7009), authenticated as it is registered.
        Assert.True(await gateway.GetRequiredService<TokenEndpointClient>().RevokeAsync(client, tokens.RefreshToken!, "refresh_token", CancellationToken.None));

        await Task.Delay(tokens.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500));
        using var expired = await browser.GetAsync("/auth/session");

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("session_expired", await expired.ErrorCodeAsync());
        Assert.Null(await gateway.GetRequiredService<SessionTokenService>().ReadAsync(id, CancellationToken.None));
        using var logout = await browser.PostAsync("/auth/logout");
        Assert.Equal(HttpStatusCode.Unauthorized, logout.StatusCode);
    }
}
