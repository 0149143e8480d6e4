using System.Net;
using McpGateway.Auth.Dpop;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Auth;

/// <summary>
/// DPoP (RFC 9449) with oidc-provider at its defaults, where <c>features.dPoP</c> is enabled and the discovery document
/// lists ES256 in <c>dpop_signing_alg_values_supported</c>: <c>Auth:Dpop=auto</c> (the default) binds every session's tokens.
/// </summary>
[Collection(nameof(AuthStackCollection))]
public sealed class DpopTests(AuthStack stack)
{
    [Fact]
    public async Task Sign_in_at_the_defaults_binds_the_tokens_to_the_session_key_and_refreshes_and_revokes_with_proofs()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("dora");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = gateway.GetRequiredService<SessionTokenService>();
        var signedIn = (await tokens.ReadAsync(id, CancellationToken.None))!;

        Assert.Equal("DPoP", signedIn.TokenType);
        Assert.NotNull(signedIn.DpopKey);
        Assert.True(signedIn.IsDpopBound);
        var thumbprint = DpopProofFactory.Thumbprint(signedIn.DpopKey);
        var introspected = await stack.Provider.IntrospectAsync(signedIn.AccessToken);
        Assert.Equal("DPoP", introspected.GetProperty("token_type").GetString());
        Assert.Equal(thumbprint, introspected.GetProperty("cnf").GetProperty("jkt").GetString());
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("[3061]", StringComparison.Ordinal));

        // Past the expiry the refreshed token is bound to the same key: the refresh carried a proof of it.
        await Task.Delay(signedIn.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        await browser.AssertSignedInAsync("dora");
        var refreshed = (await tokens.GetAccessTokenAsync(id, CancellationToken.None)).Tokens!;
        Assert.NotEqual(signedIn.AccessToken, refreshed.AccessToken);
        Assert.Equal(signedIn.DpopKey.PrivateKey, refreshed.DpopKey!.PrivateKey);
        var rebound = await stack.Provider.IntrospectAsync(refreshed.AccessToken);
        Assert.Equal(thumbprint, rebound.GetProperty("cnf").GetProperty("jkt").GetString());

        using var logout = await browser.PostAsync("/auth/logout");
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.False(await stack.Provider.IsActiveAsync(refreshed.RefreshToken!));
        Assert.False(await stack.Provider.IsActiveAsync(refreshed.AccessToken));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(signedIn.DpopKey.PrivateKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_Auth_Dpop_off_the_same_provider_issues_bearer_tokens()
    {
        var settings = stack.Settings() with { Extra = new Dictionary<string, string?> { ["Auth:Dpop"] = "off" } };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("bert");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var signedIn = (await gateway.GetRequiredService<SessionTokenService>().ReadAsync(id, CancellationToken.None))!;

        Assert.False(signedIn.IsDpopBound);
        Assert.Null(signedIn.DpopKey);
        Assert.Equal("Bearer", signedIn.TokenType);
        var introspected = await stack.Provider.IntrospectAsync(signedIn.AccessToken);
        Assert.Equal("Bearer", introspected.GetProperty("token_type").GetString());
        Assert.False(introspected.TryGetProperty("cnf", out _));
    }
}
