using System.Net;
using McpGateway.Connectors;
using McpGateway.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// A user authorizes a discover-mode connector at the MCP server's own authorization server (the second provider)
/// through the gateway: the token is meant for that server, refreshed, revoked at disconnect and logout.
/// </summary>
[Collection(nameof(ConnectorStackCollection))]
public sealed class ConnectorAuthorizationTests(ConnectorStack stack)
{
    [Fact]
    public async Task A_user_authorizes_the_server_and_gets_a_token_the_server_itself_accepts()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("alice");

        var before = await ConnectorFlow.StateOfAsync(browser);
        Assert.Equal("authorization_required", before.GetProperty("state").GetString());
        Assert.Equal("discover", before.GetProperty("authorization").GetString());
        Assert.Equal("vault__", before.GetProperty("toolPrefix").GetString());

        var url = new Uri(await ConnectorFlow.StartAsync(browser));
        var request = ConnectorFlow.Query(url);
        Assert.StartsWith(stack.ServerProvider.Issuer + "/", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(stack.ProtectedUrl.AbsoluteUri, request["resource"]);
        Assert.Equal("S256", request["code_challenge_method"]);
        Assert.Equal(new Uri(gateway.BaseAddress, "/connectors/vault/callback").AbsoluteUri, request["redirect_uri"]);
        Assert.Contains("mcp", request["scope"].Split(' '));

        using var final = await browser.AuthorizeConnectorAsync(url.AbsoluteUri, "alice");
        Assert.Equal(HttpStatusCode.Redirect, final.StatusCode);
        Assert.Equal("/?connector=vault&connector_result=connected", final.Headers.Location!.OriginalString);
        Assert.Equal("connected", (await ConnectorFlow.StateOfAsync(browser)).GetProperty("state").GetString());

        var token = await ConnectorFlow.AccessTokenAsync(gateway, browser);
        var claims = ConnectorFlow.Claims(token);
        Assert.Equal(stack.ProtectedUrl.AbsoluteUri, claims.GetProperty("aud").GetString());
        Assert.Equal(stack.ServerProvider.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal(request["client_id"], claims.GetProperty("client_id").GetString());

        using var server = new ProtectedServerClient(stack.ProtectedUrl);
        var whoami = await server.CallToolAsync(token, "whoami");
        Assert.Contains("\"sub\":\"alice\"", whoami, StringComparison.Ordinal);
        Assert.Contains($"\"aud\":\"{stack.ProtectedUrl.AbsoluteUri}\"", whoami, StringComparison.Ordinal);
        Assert.Equal("secret:hello", await server.CallToolAsync(token, "secret_echo", """{"text":"hello"}"""));
        var (status, challenge) = await server.RefusedToolAsync(token, "admin_report");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("mcp:admin", challenge, StringComparison.Ordinal);

        // The sign-in token is not one the connector's server takes.
        Assert.Equal(HttpStatusCode.Unauthorized, await server.InitializeStatusAsync("not-a-token"));
        Assert.DoesNotContain(token, browser.EverythingFromGateway, StringComparison.Ordinal);
        Assert.DoesNotContain(token, await RedisTextAsync(gateway), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_is_refreshed_with_its_resource_after_it_expires()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("carol");
        await ConnectorFlow.AuthorizeAsync(browser, "carol");
        var first = await ConnectorFlow.AccessTokenAsync(gateway, browser);
        var refreshesBefore = await stack.ServerProvider.CountAsync("token", "refresh_token");

        await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds));
        var second = await ConnectorFlow.AccessTokenAsync(gateway, browser);

        Assert.NotEqual(first, second);
        Assert.True(await stack.ServerProvider.CountAsync("token", "refresh_token") > refreshesBefore);
        Assert.Equal(stack.ProtectedUrl.AbsoluteUri, ConnectorFlow.Claims(second).GetProperty("aud").GetString());
        using var server = new ProtectedServerClient(stack.ProtectedUrl);
        Assert.Equal(HttpStatusCode.OK, await server.InitializeStatusAsync(second));
    }

    [Fact]
    public async Task Disconnecting_revokes_the_grant_and_asks_for_authorization_again()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("dave");
        await ConnectorFlow.AuthorizeAsync(browser, "dave");
        var refreshToken = (await StoredTokensAsync(gateway, browser)).RefreshToken!;
        Assert.True(await stack.ServerProvider.IsActiveAsync(refreshToken));

        using (var withoutCsrf = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Delete, new Uri(gateway.BaseAddress, "/api/connectors/vault"))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, withoutCsrf.StatusCode);
        }

        using var response = await browser.DeleteAsync("/api/connectors/vault");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"name":"vault","state":"authorization_required"}""", await response.Content.ReadAsStringAsync());

        Assert.False(await stack.ServerProvider.IsActiveAsync(refreshToken));
        Assert.Equal("authorization_required", (await ConnectorFlow.StateOfAsync(browser)).GetProperty("state").GetString());
        await Assert.ThrowsAsync<ConnectorAuthorizationRequiredException>(() => ConnectorFlow.AccessTokenAsync(gateway, browser));
    }

    [Fact]
    public async Task Logout_revokes_the_connector_tokens_too()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("erin");
        await ConnectorFlow.AuthorizeAsync(browser, "erin");
        var refreshToken = (await StoredTokensAsync(gateway, browser)).RefreshToken!;

        using var logout = await browser.PostAsync("/auth/logout");
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);

        Assert.False(await stack.ServerProvider.IsActiveAsync(refreshToken));
    }

    [Fact]
    public async Task Two_replicas_discover_and_register_one_client_for_all_users()
    {
        // Replicas share the public origin (the first one's address) and Redis; cookies of 127.0.0.1 reach both.
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings(prefix));
        var (first, second) = replicas;
        var registrationsBefore = await stack.ServerProvider.CountAsync("registrations");
        await stack.Protected.ClearAuditAsync();

        var clients = new List<string>();
        foreach (var (replica, user) in new[] { (first, "frank"), (second, "grace"), (first, "heidi"), (second, "ivan") })
        {
            using var signIn = first.CreateBrowser();
            await signIn.LoginAsync(user);
            using var browser = replica.CreateBrowser();
            browser.Cookies.Add(signIn.Cookies.GetCookies(first.BaseAddress));
            clients.Add(ConnectorFlow.Query(new Uri(await ConnectorFlow.StartAsync(browser)))["client_id"]);
        }

        Assert.Single(clients.Distinct());
        Assert.Equal(registrationsBefore + 1, await stack.ServerProvider.CountAsync("registrations"));
        // One unauthenticated probe per replica: the discovery is cached, not repeated per user.
        var probes = (await stack.Protected.AuditAsync()).Count(entry => !entry.TryGetProperty("token_sha256", out _));
        Assert.Equal(2, probes);
    }

    private static async Task<McpGateway.Connectors.Tokens.ConnectorTokens> StoredTokensAsync(GatewayHost gateway, Browser browser)
        => (await gateway.GetRequiredService<McpGateway.Connectors.Tokens.ConnectorTokenStore>()
            .GetAsync(await ConnectorFlow.SessionAsync(gateway, browser), ConnectorStack.Connector, CancellationToken.None))!;

    /// <summary>Every string value under the gateway's key prefix, as stored.</summary>
    private async Task<string> RedisTextAsync(GatewayHost gateway)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis.Configuration);
        var database = redis.GetDatabase();
        var text = new System.Text.StringBuilder();
        foreach (var key in redis.GetServers()[0].Keys(pattern: "*"))
        {
            var type = await database.KeyTypeAsync(key);
            if (type == RedisType.String)
            {
                text.Append((string?)await database.StringGetAsync(key));
            }
            else if (type == RedisType.Hash)
            {
                foreach (var entry in await database.HashGetAllAsync(key))
                {
                    text.Append((string?)entry.Value);
                }
            }
        }

        _ = gateway;
        return text.ToString();
    }
}
