using System.Net;
using McpGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// The connector callback refuses what did not come from this session's own flow: a forged or replayed state, another
/// user's state, a wrong <c>iss</c> (RFC 9207), an error answer. A refused callback stores nothing and leaves the
/// rightful owner's flow usable.
/// </summary>
[Collection(nameof(ConnectorStackCollection))]
public sealed class ConnectorCallbackAttackTests(ConnectorStack stack)
{
    [Fact]
    public async Task A_forged_state_is_refused_and_no_code_is_redeemed()
    {
        await using var gateway = await StartAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("mallory");
        var exchanges = await stack.ServerProvider.CountAsync("token", "authorization_code");

        var result = await CallbackAsync(browser, "/connectors/vault/callback?code=stolen-code&state=forged-state");

        Assert.Equal("invalid_state", result["connector_error"]);
        Assert.Equal("error", result["connector_result"]);
        Assert.Equal(exchanges, await stack.ServerProvider.CountAsync("token", "authorization_code"));
        Assert.Equal("authorization_required", (await ConnectorFlow.StateOfAsync(browser)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_replayed_callback_is_refused()
    {
        await using var gateway = await StartAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("judy");
        var callback = await ConnectorFlow.CallbackUrlAsync(browser, "judy");

        Assert.Equal("connected", (await CallbackAsync(browser, callback))["connector_result"]);
        using (var disconnect = await browser.DeleteAsync("/api/connectors/vault"))
        {
            Assert.Equal(HttpStatusCode.OK, disconnect.StatusCode);
        }

        var replay = await CallbackAsync(browser, callback);
        Assert.Equal("invalid_state", replay["connector_error"]);
        Assert.Equal("authorization_required", (await ConnectorFlow.StateOfAsync(browser)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Another_users_callback_is_refused_and_the_owner_can_still_finish()
    {
        await using var gateway = await StartAsync();
        using var victim = gateway.CreateBrowser();
        await victim.LoginAsync("victor");
        using var attacker = gateway.CreateBrowser();
        await attacker.LoginAsync("trudy");
        var callback = await ConnectorFlow.CallbackUrlAsync(victim, "victor");

        var stolen = await CallbackAsync(attacker, callback);

        Assert.Equal("state_mismatch", stolen["connector_error"]);
        Assert.Equal("authorization_required", (await ConnectorFlow.StateOfAsync(attacker)).GetProperty("state").GetString());
        Assert.Equal("connected", (await CallbackAsync(victim, callback))["connector_result"]);
        Assert.Equal("victor", ConnectorFlow.Claims(await ConnectorFlow.AccessTokenAsync(gateway, victim)).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_callback_naming_another_issuer_is_refused()
    {
        await using var gateway = await StartAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("oscar");
        var callback = new Uri(gateway.BaseAddress, await ConnectorFlow.CallbackUrlAsync(browser, "oscar"));
        var query = ConnectorFlow.Query(callback);
        Assert.Equal(stack.ServerProvider.Issuer, query["iss"]);
        query["iss"] = stack.Provider.Issuer;

        var result = await CallbackAsync(browser, QueryHelpers.AddQueryString(callback.AbsolutePath, query!));

        Assert.Equal("issuer_mismatch", result["connector_error"]);
        Assert.Equal("authorization_required", (await ConnectorFlow.StateOfAsync(browser)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_error_answer_from_the_authorization_server_is_passed_on_and_ends_the_flow()
    {
        await using var gateway = await StartAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("peggy");
        var state = ConnectorFlow.Query(new Uri(await ConnectorFlow.StartAsync(browser, returnUrl: "/chat")))["state"];
        var denied = $"/connectors/vault/callback?error=access_denied&state={Uri.EscapeDataString(state)}&iss={Uri.EscapeDataString(stack.ServerProvider.Issuer)}";

        using var response = await browser.GetAsync(denied);

        Assert.Equal("/chat?connector=vault&connector_result=error&connector_error=access_denied", response.Headers.Location!.OriginalString);
        Assert.Equal("invalid_state", (await CallbackAsync(browser, denied))["connector_error"]);
        Assert.Equal("authorization_required", (await ConnectorFlow.StateOfAsync(browser)).GetProperty("state").GetString());
    }

    private async Task<GatewayHost> StartAsync()
    {
        var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        return gateway;
    }

    private static async Task<IDictionary<string, string>> CallbackAsync(Browser browser, string pathAndQuery)
    {
        using var response = await browser.GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(browser.Gateway, response.Headers.Location!);
        Assert.Equal(browser.Gateway.Authority, location.Authority);
        return ConnectorFlow.Query(location);
    }
}
