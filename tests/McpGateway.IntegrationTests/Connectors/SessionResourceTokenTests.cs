using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using static McpGateway.IntegrationTests.Connectors.ConnectorClients;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// RFC 8707 for session-mode servers (<c>Auth:ResourceIndicators</c> = on): two session-mode servers of the sign-in
/// provider (oidc-provider, opaque tokens, 5-second access tokens), each behind a front that introspects every token and
/// audits its <c>aud</c>. Each server must see only tokens meant for its own URL, also after they expired and were
/// refreshed; the chat upstream keeps working on the plain sign-in token. (Off, the existing routing tests show the
/// sign-in token going to the session-mode server unchanged.)
/// </summary>
[Collection(nameof(MultiServerStackCollection))]
public sealed class SessionResourceTokenTests(MultiServerStack stack)
{
    private static readonly object Question = new { messages = new[] { new { role = "user", content = "hello" } } };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(WebSocket)]
    [InlineData(Http)]
    public async Task Each_session_mode_server_gets_a_token_whose_aud_is_its_own_url_also_after_a_refresh(string transport)
    {
        await using var gateway = GatewayHost.Start(stack.ResourceSettings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("rhea");
        await stack.Mcp.Front.ClearAuditAsync();
        await stack.ThirdFront.ClearAuditAsync();

        await using (var client = await ConnectAsync(browser, transport))
        {
            var one = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "to default" }, cancellationToken: Cancellation);
            var three = await client.CallToolAsync("three__echo", new Dictionary<string, object?> { ["message"] = "to three" }, cancellationToken: Cancellation);
            Assert.Equal("Echo: to default", Text(one));
            Assert.Equal("Echo: to three", Text(three));

            await AssertOnlyOwnAudienceAsync(stack.Mcp.Front, stack.Mcp.McpUrl, "rhea");
            await AssertOnlyOwnAudienceAsync(stack.ThirdFront, stack.ThirdUrl, "rhea");

            // Past the 5-second lifetime: each server's token is obtained again with its resource, on the same socket.
            var refreshes = await stack.Mcp.Provider.CountAsync("token", "refresh_token");
            await stack.Mcp.Front.ClearAuditAsync();
            await stack.ThirdFront.ClearAuditAsync();
            await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds + 1), Cancellation);

            one = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "again" }, cancellationToken: Cancellation);
            three = await client.CallToolAsync("three__echo", new Dictionary<string, object?> { ["message"] = "again" }, cancellationToken: Cancellation);
            Assert.Equal("Echo: again", Text(one));
            Assert.Equal("Echo: again", Text(three));
            Assert.True(await stack.Mcp.Provider.CountAsync("token", "refresh_token") >= refreshes + 2);
            await AssertOnlyOwnAudienceAsync(stack.Mcp.Front, stack.Mcp.McpUrl, "rhea");
            await AssertOnlyOwnAudienceAsync(stack.ThirdFront, stack.ThirdUrl, "rhea");
        }

        // The chat upstream still gets a working token (the sign-in one, refreshed after all those rotations).
        await stack.Mcp.Chat.ClearAuditAsync();
        using var answer = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var seen = Assert.Single(await stack.Mcp.Chat.AuditAsync());
        Assert.Equal("rhea", seen.GetProperty("sub").GetString());
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("for resource " + stack.ThirdUrl.AbsoluteUri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Off_every_session_mode_server_gets_the_sign_in_token_without_an_audience()
    {
        await using var gateway = GatewayHost.Start(stack.ResourceSettings("off"));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("otto");
        await stack.Mcp.Front.ClearAuditAsync();
        await stack.ThirdFront.ClearAuditAsync();

        await using (var client = await ConnectAsync(browser, Http))
        {
            Assert.Equal("Echo: a", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "a" }, cancellationToken: Cancellation)));
            Assert.Equal("Echo: b", Text(await client.CallToolAsync("three__echo", new Dictionary<string, object?> { ["message"] = "b" }, cancellationToken: Cancellation)));
        }

        foreach (var front in new[] { stack.Mcp.Front, stack.ThirdFront })
        {
            var admitted = (await front.AuditAsync()).Where(entry => entry.GetProperty("hadAuthorization").GetBoolean()).ToList();
            Assert.NotEmpty(admitted);
            Assert.All(admitted, entry => Assert.Equal(JsonValueKind.Null, entry.GetProperty("aud").ValueKind));
            Assert.All(admitted, entry => Assert.Equal("otto", entry.GetProperty("sub").GetString()));
        }

        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("for resource", StringComparison.Ordinal));
    }

    /// <summary>Every request the front admitted carried a token of <paramref name="subject"/> meant for <paramref name="url"/> only.</summary>
    private static async Task AssertOnlyOwnAudienceAsync(NodeServer front, Uri url, string subject)
    {
        var admitted = (await front.AuditAsync()).Where(entry => entry.GetProperty("hadAuthorization").GetBoolean()).ToList();
        Assert.Contains(admitted, entry => entry.GetProperty("mcpMethod").GetString() == "tools/call");
        Assert.All(admitted, entry =>
        {
            // Admitted: anything but the front's 401/403/503 (server-everything answers 202 to notifications, 405 to a GET stream).
            if (entry.GetProperty("status").ValueKind == JsonValueKind.Number)
            {
                Assert.DoesNotContain(entry.GetProperty("status").GetInt32(), new[] { 401, 403, 503 });
            }

            Assert.Equal(subject, entry.GetProperty("sub").GetString());
            Assert.Equal(url.AbsoluteUri, entry.GetProperty("aud").GetString());
        });
    }
}
