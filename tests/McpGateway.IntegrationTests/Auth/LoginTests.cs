using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Auth;

[Collection(nameof(AuthStackCollection))]
public sealed class LoginTests(AuthStack stack)
{
    [Fact]
    public async Task Full_login_through_the_provider_forms_sets_an_opaque_httponly_cookie_and_no_token_reaches_the_browser()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();

        var final = await browser.LoginAsync("alice", "/chat?tab=1");

        Assert.Equal(HttpStatusCode.Redirect, final.StatusCode);
        Assert.Equal("/chat?tab=1", final.Headers.Location!.OriginalString);
        var setCookie = final.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith(SessionCookie.DevelopmentName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);

        using var session = await browser.GetAsync("/auth/session");
        var body = await session.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.True(body.GetProperty("authenticated").GetBoolean());
        Assert.Equal("alice", body.GetProperty("sub").GetString());

        // The tokens exist server-side only: neither the cookie nor any gateway response carries them.
        var sessionId = SessionId.Parse(await SessionReferenceAsync(gateway, browser));
        var tokens = await gateway.GetRequiredService<SessionTokenService>().ReadAsync(sessionId, CancellationToken.None);
        Assert.NotNull(tokens);
        Assert.True(await stack.Provider.IsActiveAsync(tokens.AccessToken));
        var seen = browser.EverythingFromGateway;
        Assert.DoesNotContain(tokens.AccessToken, seen, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.RefreshToken!, seen, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.IdToken!, seen, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", browser.GatewayCookie(SessionCookie.DevelopmentName)!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_holds_no_token_secret_or_session_reference_in_clear()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("rosa");
        var reference = await SessionReferenceAsync(gateway, browser);
        var tokens = (await gateway.GetRequiredService<SessionTokenService>().ReadAsync(SessionId.Parse(reference), CancellationToken.None))!;
        var client = gateway.GetRequiredService<McpGateway.Auth.Registration.ClientRegistrationState>().Current!;
        Assert.NotNull(client.SigningKey);
        Assert.NotNull(tokens.DpopKey);
        var secrets = new[] { tokens.AccessToken, tokens.RefreshToken, tokens.IdToken, reference, client.ClientSecret, client.SigningKey.PrivateKey, client.RegistrationAccessToken, tokens.DpopKey.PrivateKey }.OfType<string>().ToList();

        await using var redis = await stack.Redis.ConnectAsync();
        var server = redis.GetServers().Single();
        var database = redis.GetDatabase();
        var dump = new System.Text.StringBuilder();
        var keys = 0;
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            keys++;
            dump.AppendLine(key.ToString());
            switch (await database.KeyTypeAsync(key))
            {
                case StackExchange.Redis.RedisType.String:
                    dump.AppendLine(await database.StringGetAsync(key));
                    break;
                case StackExchange.Redis.RedisType.Hash:
                    foreach (var entry in await database.HashGetAllAsync(key))
                    {
                        dump.AppendLine($"{entry.Name}={entry.Value}");
                    }

                    break;
                case StackExchange.Redis.RedisType.List:
                    dump.AppendJoin('\n', await database.ListRangeAsync(key));
                    break;
                case StackExchange.Redis.RedisType.Set:
                    dump.AppendJoin('\n', await database.SetMembersAsync(key));
                    break;
                case StackExchange.Redis.RedisType.SortedSet:
                    dump.AppendJoin('\n', (await database.SortedSetRangeByRankAsync(key)).Select(member => member.ToString()));
                    break;
            }
        }

        var everything = dump.ToString();
        Assert.True(keys >= 3, $"only {keys} keys: the session and the registration should be in this Redis");
        Assert.Contains("session:", everything, StringComparison.Ordinal);
        Assert.All(secrets.Where(secret => secret.Length >= 16), secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_refuses_a_return_url_of_another_origin()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();

        foreach (var hostile in new[] { "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)" })
        {
            using var response = await browser.GetAsync("/auth/login?returnUrl=" + Uri.EscapeDataString(hostile));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task A_callback_with_a_forged_state_gets_a_clear_400_and_no_session()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();

        using var response = await browser.GetAsync("/signin-oidc?code=forged-code&state=forged-state&iss=" + Uri.EscapeDataString(stack.Provider.Issuer));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.Null(browser.GatewayCookie(SessionCookie.DevelopmentName));
    }

    [Fact]
    public async Task The_openid_connect_front_channel_sign_out_path_is_the_handlers_not_the_frontends()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();

        // The authentication middleware runs only on the handler's own paths: this one must still reach it.
        using var response = await browser.GetAsync("/signout-oidc?iss=" + Uri.EscapeDataString(stack.Provider.Issuer));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_api_call_without_a_session_gets_401_json_and_never_a_redirect()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        using var browser = gateway.CreateBrowser();

        using var logout = await browser.PostAsync("/auth/logout");
        using var session = await browser.GetAsync("/auth/session");

        Assert.Equal(HttpStatusCode.Unauthorized, logout.StatusCode);
        Assert.Equal("application/json; charset=utf-8", logout.Content.Headers.ContentType!.ToString());
        Assert.Equal("unauthenticated", (await logout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        Assert.False((await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authenticated").GetBoolean());
    }

    /// <summary>Reads the session reference the way the gateway does: by unprotecting the cookie.</summary>
    internal static async Task<string> SessionReferenceAsync(GatewayHost gateway, Browser browser)
    {
        using var probe = await browser.GetAsync("/auth/session");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        return await SessionCookieReader.ReadReferenceAsync(gateway, browser.GatewayCookie(SessionCookie.DevelopmentName)!.Value);
    }
}
