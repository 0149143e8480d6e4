using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Auth;

/// <summary>
/// Refresh tokens from a provider that follows OpenID Connect Core §11 (oidc-provider at its default):
/// offline_access is granted only when the authorization request carries prompt=consent.
/// </summary>
[Collection(nameof(AuthStackCollection))]
public sealed class RefreshTokenGrantTests(AuthStack stack)
{
    private const string NoRefreshTokenWarning = "[3015]";

    [Fact]
    public async Task A_provider_at_its_defaults_issues_a_refresh_token_that_is_used_after_expiry_and_revoked_at_logout()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("olga");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = gateway.GetRequiredService<SessionTokenService>();
        var signedIn = (await tokens.ReadAsync(id, CancellationToken.None))!;

        Assert.NotNull(signedIn.RefreshToken);
        var grant = await stack.Provider.IntrospectAsync(signedIn.RefreshToken);
        Assert.Contains("offline_access", grant.GetProperty("scope").GetString()!.Split(' '));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(NoRefreshTokenWarning, StringComparison.Ordinal));
        var session = await SessionAsync(browser);
        Assert.True(session.GetProperty("refreshable").GetBoolean());
        Assert.True(session.GetProperty("endsAt").GetDateTimeOffset() > DateTimeOffset.UtcNow + TimeSpan.FromHours(23));

        // Past the access token's expiry the session goes on, on a refreshed token.
        await Task.Delay(signedIn.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        await browser.AssertSignedInAsync("olga");
        var refreshed = (await tokens.ReadAsync(id, CancellationToken.None))!;
        Assert.NotEqual(signedIn.AccessToken, refreshed.AccessToken);
        Assert.True(await stack.Provider.IsActiveAsync(refreshed.RefreshToken!));

        using var logout = await browser.PostAsync("/auth/logout");
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.False(await stack.Provider.IsActiveAsync(refreshed.RefreshToken!));
    }

    [Fact]
    public async Task Without_prompt_consent_a_provider_at_its_defaults_grants_no_refresh_token_and_the_gateway_says_when_the_session_ends()
    {
        var settings = stack.Settings() with { Extra = new Dictionary<string, string?> { ["Auth:Prompt"] = "none" } };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("pavel");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var signedIn = (await gateway.GetRequiredService<SessionTokenService>().ReadAsync(id, CancellationToken.None))!;

        Assert.Null(signedIn.RefreshToken);
        var warning = Assert.Single(gateway.Logs.Lines, line => line.Contains(NoRefreshTokenWarning, StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.Contains("did not grant offline_access", warning, StringComparison.Ordinal);
        Assert.Contains("prompt=consent", warning, StringComparison.Ordinal);
        Assert.Contains("Auth:Prompt is 'none'", warning, StringComparison.Ordinal);

        var session = await SessionAsync(browser);
        Assert.False(session.GetProperty("refreshable").GetBoolean());
        Assert.Equal(signedIn.AccessTokenExpiresAt, session.GetProperty("endsAt").GetDateTimeOffset());

        // As announced, the session ends with its access token.
        await Task.Delay(signedIn.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        using var ended = await browser.GetAsync("/auth/session");
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.Equal("session_expired", await ended.ErrorCodeAsync());
    }

    [Fact]
    public async Task With_Auth_Prompt_none_a_provider_that_issues_refresh_tokens_without_consent_still_refreshes()
    {
        // The one deviation from the provider's defaults, and why: it stands for the providers that issue refresh
        // tokens without prompt=consent, which is what Auth:Prompt=none is for.
        await using var provider = await OidcProvider.StartAsync(AuthStack.AccessTokenTtlSeconds, alwaysIssueRefreshTokens: true);
        var settings = new GatewaySettings
        {
            Authority = provider.Issuer,
            RedisConfiguration = stack.Redis.Configuration,
            Extra = new Dictionary<string, string?> { ["Auth:Prompt"] = "none" },
        };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("quinn");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = gateway.GetRequiredService<SessionTokenService>();
        var signedIn = (await tokens.ReadAsync(id, CancellationToken.None))!;

        Assert.NotNull(signedIn.RefreshToken);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(NoRefreshTokenWarning, StringComparison.Ordinal));
        await Task.Delay(signedIn.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        await browser.AssertSignedInAsync("quinn");
        Assert.NotEqual(signedIn.AccessToken, (await tokens.ReadAsync(id, CancellationToken.None))!.AccessToken);
    }

    private static async Task<JsonElement> SessionAsync(Browser browser)
    {
        using var response = await browser.GetAsync("/auth/session");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
