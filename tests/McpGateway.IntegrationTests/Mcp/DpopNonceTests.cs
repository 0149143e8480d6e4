using System.Net;
using System.Net.Http.Json;
using McpGateway.Auth.Dpop;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Auth;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>
/// Servers that demand DPoP nonces (RFC 9449 §8, §9): a deviation from oidc-provider's default (which has none), hence a
/// provider and fronts of their own; <see cref="DpopUpstreamTests"/> and <see cref="DpopTests"/> keep the defaults.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class DpopNonceTests(McpStack stack)
{
    private const string NonceRetry = "[3060]";

    [Fact]
    public async Task Sign_in_refresh_and_a_tools_call_succeed_against_servers_that_demand_nonces_after_one_retry_each()
    {
        await using var provider = await OidcProvider.StartAsync(AuthStack.AccessTokenTtlSeconds, dpopNonce: true);
        await using var front = await NodeServer.StartMcpFrontAsync(new Uri(stack.Everything.BaseAddress, "/mcp"), provider, dpopNonce: true);
        var settings = stack.Settings(new Uri(front.BaseAddress, "/mcp")) with { Authority = provider.Issuer };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();

        await browser.LoginAsync("nina");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = gateway.GetRequiredService<SessionTokenService>();
        var signedIn = (await tokens.ReadAsync(id, CancellationToken.None))!;
        Assert.True(signedIn.IsDpopBound);
        Assert.Equal(DpopProofFactory.Thumbprint(signedIn.DpopKey!), (await provider.IntrospectAsync(signedIn.AccessToken)).GetProperty("cnf").GetProperty("jkt").GetString());
        // The code redemption asked for the provider's nonce (400 use_dpop_nonce) and was sent again with it.
        Assert.Contains(gateway.Logs.Lines, line => line.Contains(NonceRetry, StringComparison.Ordinal) && line.Contains("400", StringComparison.Ordinal));

        var (client, _) = await BrowserSockets.ConnectClientAsync(browser);
        await using (client)
        {
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "with nonce" });
            Assert.Equal("Echo: with nonce", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        }

        // The front asked once (401 use_dpop_nonce); every later request carried its nonce.
        var audit = (await front.AuditAsync()).Where(entry => entry.GetProperty("hadAuthorization").GetBoolean()).ToList();
        Assert.Equal(401, audit[0].GetProperty("status").GetInt32());
        Assert.All(audit.Skip(1), entry => Assert.True(entry.GetProperty("dpop").GetBoolean(), "a request after the nonce was refused"));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains(NonceRetry, StringComparison.Ordinal) && line.Contains("401", StringComparison.Ordinal));

        // The refresh uses the provider's latest nonce and stays bound to the session key.
        await Task.Delay(signedIn.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        var refreshed = await tokens.GetAccessTokenAsync(id, CancellationToken.None);
        Assert.True(refreshed.Succeeded, refreshed.Detail);
        Assert.NotEqual(signedIn.AccessToken, refreshed.AccessToken);
        Assert.Equal(DpopProofFactory.Thumbprint(signedIn.DpopKey!), (await provider.IntrospectAsync(refreshed.AccessToken!)).GetProperty("cnf").GetProperty("jkt").GetString());
    }

    [Fact]
    public async Task A_chat_call_to_a_server_that_demands_nonces_is_forwarded_once_more_with_the_nonce_and_the_browser_sees_only_the_answer()
    {
        await using var chat = await NodeServer.StartChatAsync(stack.Provider, dpopNonce: true);
        var defaults = stack.Settings();
        var settings = defaults with { Extra = new Dictionary<string, string?>(defaults.Extra) { ["Upstreams:Chat:Url"] = chat.BaseAddress.AbsoluteUri } };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("nora");
        var question = new { messages = new[] { new { role = "user", content = "nonce?" } } };

        using var first = await browser.PostAsync("/api/v2/chat", JsonContent.Create(question));
        using var second = await browser.PostAsync("/api/v2/chat", JsonContent.Create(question));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Echo: nonce?", (await first.JsonAsync()).GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var audit = await chat.AuditAsync();
        // The first call was refused once for its nonce and forwarded again, body and all; the second carried the nonce at once.
        Assert.Equal([401, 200, 200], audit.Select(entry => entry.GetProperty("status").GetInt32()));
        Assert.All(audit.Skip(1), entry => Assert.True(entry.GetProperty("dpop").GetBoolean()));
        Assert.Single(gateway.Logs.Lines, line => line.Contains("[3063]", StringComparison.Ordinal));
    }
}
