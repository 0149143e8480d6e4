using System.Net;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.IntegrationTests.Auth;

[Collection(nameof(AuthStackCollection))]
public sealed class LogoutTests(AuthStack stack)
{
    [Fact]
    public async Task Logout_needs_the_csrf_header_then_revokes_both_tokens_ends_the_session_and_returns_the_end_session_url()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("judy");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = (await gateway.GetRequiredService<SessionTokenService>().ReadAsync(id, CancellationToken.None))!;

        using (var forged = await browser.PostAsync("/auth/logout", csrfHeader: false))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Equal("csrf_header_missing", await forged.ErrorCodeAsync());
            await browser.AssertSignedInAsync("judy");
        }

        using var logout = await browser.PostAsync("/auth/logout");

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        var redirect = new Uri((await logout.JsonAsync()).GetProperty("redirect").GetString()!);
        Assert.StartsWith(stack.Provider.Issuer + "/session/end", redirect.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(redirect.Query);
        Assert.Equal(tokens.IdToken, query["id_token_hint"].ToString());
        Assert.Equal(gateway.BaseAddress.AbsoluteUri, query["post_logout_redirect_uri"].ToString());
        Assert.False(await stack.Provider.IsActiveAsync(tokens.RefreshToken!));
        Assert.False(await stack.Provider.IsActiveAsync(tokens.AccessToken));
        Assert.Null(await gateway.GetRequiredService<SessionTokenService>().ReadAsync(id, CancellationToken.None));
        using var after = await browser.GetAsync("/auth/session");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Back_channel_logout_from_the_provider_ends_the_session_and_a_forged_logout_token_is_refused()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("ken");
        using var bystander = gateway.CreateBrowser();
        await bystander.LoginAsync("laura");
        var logoutsBefore = await stack.Provider.CountAsync("backchannelLogouts");

        using (var forged = await browser.PostAsync("/auth/backchannel", new FormUrlEncodedContent([KeyValuePair.Create("logout_token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJrZW4ifQ.")]), csrfHeader: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Equal("invalid_request", await forged.ErrorCodeAsync());
        }

        await browser.AssertSignedInAsync("ken");

        // Ken signs out at the provider (e.g. from another application); it tells every client of his session.
        var clientId = gateway.GetRequiredService<McpGateway.Auth.Registration.ClientRegistrationState>().Current!.ClientId;
        using var signedOut = await browser.NavigateAsync(
            $"{stack.Provider.Issuer}/session/end?client_id={Uri.EscapeDataString(clientId)}", confirmButton: "logout");

        Assert.Equal(logoutsBefore + 1, await stack.Provider.CountAsync("backchannelLogouts"));
        using var after = await browser.GetAsync("/auth/session");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("session_expired", await after.ErrorCodeAsync());
        await bystander.AssertSignedInAsync("laura");
    }
}
