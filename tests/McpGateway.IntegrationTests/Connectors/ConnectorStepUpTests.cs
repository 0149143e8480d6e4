using System.Net;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// MCP step-up authorization: a connected user calls a tool that needs more scope, gets -32009, and authorizing again
/// asks the server's own provider for the scopes already granted plus the demanded one; then the tool runs.
/// </summary>
[Collection(nameof(ConnectorStackCollection))]
public sealed class ConnectorStepUpTests(ConnectorStack stack)
{
    [Fact]
    public async Task After_an_insufficient_scope_answer_authorizing_again_asks_for_the_granted_and_the_demanded_scope_and_the_tool_then_runs()
    {
        await using var gateway = GatewayHost.Start(stack.Settings(sessionServer: true));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("greta");

        // First authorization: the usual scopes only, so the admin tool is refused with the step-up error.
        var first = ConnectorFlow.Query(new Uri(await ConnectorFlow.StartAsync(browser)));
        Assert.Contains("mcp", first["scope"].Split(' '));
        Assert.DoesNotContain(ConnectorStack.AdminScope, first["scope"].Split(' '));
        await ConnectorFlow.AuthorizeAsync(browser, "greta");
        Assert.DoesNotContain(ConnectorStack.AdminScope, Scopes(await ConnectorFlow.AccessTokenAsync(gateway, browser)));

        await using (var socket = await RawSocket.OpenAsync(browser))
        {
            await socket.InitializeAsync();
            Assert.StartsWith("secret:", Text(await socket.RequestAsync(1, "tools/call", new { name = "vault__secret_echo", arguments = new { text = "before" } })), StringComparison.Ordinal);
            var stepUp = (await socket.RequestAsync(2, "tools/call", new { name = "vault__admin_report", arguments = new { } })).GetProperty("error");
            Assert.Equal(-32009, stepUp.GetProperty("code").GetInt32());
            Assert.Equal("vault", stepUp.GetProperty("data").GetProperty("connector").GetString());
            Assert.Contains(ConnectorStack.AdminScope, stepUp.GetProperty("data").GetProperty("scope").GetString()!.Split(' '));
            Assert.Equal("/api/connectors/vault/authorize", stepUp.GetProperty("data").GetProperty("authorize").GetString());
        }

        // Authorizing again (no scope from the browser): the granted scopes and the demanded one.
        var url = await ConnectorFlow.StartAsync(browser);
        var again = ConnectorFlow.Query(new Uri(url))["scope"].Split(' ');
        Assert.Contains("mcp", again);
        Assert.Contains(ConnectorStack.AdminScope, again);
        Assert.Equal(again.Length, again.Distinct(StringComparer.Ordinal).Count());
        using (var final = await browser.AuthorizeConnectorAsync(url, "greta"))
        {
            Assert.Equal(HttpStatusCode.Redirect, final.StatusCode);
            Assert.Equal("/?connector=vault&connector_result=connected", final.Headers.Location!.OriginalString);
        }

        var scopes = Scopes(await ConnectorFlow.AccessTokenAsync(gateway, browser));
        Assert.Contains("mcp", scopes);
        Assert.Contains(ConnectorStack.AdminScope, scopes);

        await using (var socket = await RawSocket.OpenAsync(browser))
        {
            await socket.InitializeAsync();
            Assert.Equal("admin report: all good", Text(await socket.RequestAsync(1, "tools/call", new { name = "vault__admin_report", arguments = new { } })));
            Assert.Equal("secret:after", Text(await socket.RequestAsync(2, "tools/call", new { name = "vault__secret_echo", arguments = new { text = "after" } })));
        }

        // The demand is met and forgotten, yet a later authorization keeps what is granted.
        var later = ConnectorFlow.Query(new Uri(await ConnectorFlow.StartAsync(browser)))["scope"].Split(' ');
        Assert.Contains(ConnectorStack.AdminScope, later);
    }

    [Fact]
    public async Task The_demanded_scope_belongs_to_the_session_that_was_refused_and_a_scope_from_the_browser_adds_nothing()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var refused = gateway.CreateBrowser();
        using var other = gateway.CreateBrowser();
        await refused.LoginAsync("hanna");
        await other.LoginAsync("ivo");
        await ConnectorFlow.AuthorizeAsync(refused, "hanna");

        await using (var socket = await RawSocket.OpenAsync(refused))
        {
            await socket.InitializeAsync();
            Assert.Equal(-32009, (await socket.RequestAsync(1, "tools/call", new { name = "vault__admin_report", arguments = new { } })).GetProperty("error").GetProperty("code").GetInt32());
        }

        Assert.Contains(ConnectorStack.AdminScope, ConnectorFlow.Query(new Uri(await ConnectorFlow.StartAsync(refused)))["scope"].Split(' '));
        Assert.DoesNotContain(ConnectorStack.AdminScope, ConnectorFlow.Query(new Uri(await ConnectorFlow.StartAsync(other)))["scope"].Split(' '));

        // A scope in the body steers nothing: the gateway alone decides what to ask for.
        using var steered = await other.PostAsync("/api/connectors/vault/authorize", System.Net.Http.Json.JsonContent.Create(new { scope = ConnectorStack.AdminScope }));
        var body = await steered.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, steered.StatusCode);
        var steeredUrl = new Uri(JsonDocument.Parse(body).RootElement.GetProperty("url").GetString()!);
        Assert.DoesNotContain(ConnectorStack.AdminScope, ConnectorFlow.Query(steeredUrl)["scope"].Split(' '));
    }

    private static string[] Scopes(string token) => ConnectorFlow.Claims(token).GetProperty("scope").GetString()!.Split(' ');

    private static string Text(JsonElement answer)
        => answer.TryGetProperty("result", out var result)
            ? result.GetProperty("content")[0].GetProperty("text").GetString()!
            : throw new Xunit.Sdk.XunitException("The call failed: " + answer.GetRawText());
}
