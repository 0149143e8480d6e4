using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Auth;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>
/// An upstream that refuses a token the gateway still holds for valid (a resource server whose clock runs
/// ahead, or that revoked it on its own) gets one retry with a refreshed token, and the browser never notices.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class RejectedTokenTests(McpStack stack)
{
    [Fact]
    public async Task A_call_refused_401_on_an_unexpired_token_succeeds_on_a_refreshed_one()
    {
        // Five-minute tokens, so that no refresh happens by expiry during the test; the shared server-everything behind a front of its own.
        await using var provider = await OidcProvider.StartAsync(accessTokenTtl: 300);
        await using var front = await NodeServer.StartMcpFrontAsync(new Uri(stack.Everything.BaseAddress, "/mcp"), provider);
        var settings = stack.Settings(new Uri(front.BaseAddress, "/mcp")) with { Authority = provider.Issuer };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("zoe");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = gateway.GetRequiredService<SessionTokenService>();

        var (client, _) = await BrowserSockets.ConnectClientAsync(browser);
        await using (client)
        {
            Assert.Equal("Echo: before", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "before" })));
            var revoked = (await tokens.ReadAsync(id, CancellationToken.None))!;
            await front.RefuseNextTokenAsync();
            var refreshes = await provider.CountAsync("token", "refresh_token");

            var after = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after" });

            Assert.Equal("Echo: after", Text(after));
            var replaced = (await tokens.ReadAsync(id, CancellationToken.None))!;
            Assert.NotEqual(revoked.AccessToken, replaced.AccessToken);
            Assert.True(await provider.IsActiveAsync(replaced.AccessToken));
            Assert.Equal(refreshes + 1, await provider.CountAsync("token", "refresh_token"));
            Assert.Single(gateway.Logs.Lines, line => line.Contains("[4014]", StringComparison.Ordinal));

            // An upstream that keeps refusing gets no second early refresh within the back-off: the error reaches the caller.
            await front.RefuseNextTokenAsync();
            await front.RefuseNextTokenAsync();
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "refused" }).AsTask());
            Assert.Contains("401", refused.Message, StringComparison.Ordinal);
            Assert.Equal(refreshes + 1, await provider.CountAsync("token", "refresh_token"));
        }
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
}
