using System.Net;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// A discover-mode connector through the bridge, beside a session-mode server: not listed until the user authorizes it,
/// its tools then namespaced and called with a token meant for it alone, on every replica, until Disconnect.
/// </summary>
[Collection(nameof(ConnectorStackCollection))]
public sealed class ConnectorBridgeTests(ConnectorStack stack)
{
    private const string Meta = "io.mcpgateway/connectors";

    [Fact]
    public async Task A_user_connects_the_server_and_calls_its_tools_each_server_seeing_only_the_token_meant_for_it_on_both_replicas()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings(sessionServer: true));
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("hugo");
        await stack.Front.ClearAuditAsync();
        await stack.Protected.ClearAuditAsync();

        // Before: the session server's tools and the gateway's are listed, the connector is named as waiting for authorization.
        await using (var socket = await RawSocket.OpenAsync(browser))
        {
            await socket.InitializeAsync();
            var listed = (await socket.RequestAsync(1, "tools/list")).GetProperty("result");
            var names = ToolNames(listed);
            Assert.Contains("echo", names);
            Assert.Contains("calculator", names);
            Assert.DoesNotContain(names, name => name.StartsWith("vault__", StringComparison.Ordinal));
            var waiting = Assert.Single(listed.GetProperty("_meta").GetProperty(Meta).EnumerateArray(), entry => entry.GetProperty("name").GetString() == "vault");
            Assert.Equal("authorization_required", waiting.GetProperty("state").GetString());

            var refused = (await socket.RequestAsync(2, "tools/call", new { name = "vault__whoami", arguments = new { } })).GetProperty("error");
            Assert.Equal(-32008, refused.GetProperty("code").GetInt32());
            Assert.Equal("vault", refused.GetProperty("data").GetProperty("connector").GetString());
            Assert.Equal("/api/connectors/vault/authorize", refused.GetProperty("data").GetProperty("authorize").GetString());
        }

        await ConnectorFlow.AuthorizeAsync(browser, "hugo");

        await using (var socket = await RawSocket.OpenAsync(browser))
        {
            await socket.InitializeAsync();
            var names = ToolNames((await socket.RequestAsync(1, "tools/list")).GetProperty("result"));
            Assert.Contains("vault__whoami", names);
            Assert.Contains("vault__secret_echo", names);
            Assert.Contains("echo", names);

            var whoami = JsonDocument.Parse(Text(await socket.RequestAsync(2, "tools/call", new { name = "vault__whoami", arguments = new { } }))).RootElement;
            Assert.Equal("hugo", whoami.GetProperty("sub").GetString());
            Assert.Equal(stack.ProtectedUrl.AbsoluteUri, whoami.GetProperty("aud").GetString());
            Assert.Equal("Echo: from the session server", Text(await socket.RequestAsync(3, "tools/call", new { name = "echo", arguments = new { message = "from the session server" } })));

            var stepUp = (await socket.RequestAsync(4, "tools/call", new { name = "vault__admin_report", arguments = new { } })).GetProperty("error");
            Assert.Equal(-32009, stepUp.GetProperty("code").GetInt32());
            Assert.Equal("insufficient_scope", stepUp.GetProperty("data").GetProperty("state").GetString());
            Assert.Contains("mcp:admin", stepUp.GetProperty("data").GetProperty("scope").GetString(), StringComparison.Ordinal);
        }

        // The other replica uses the same authorization (kept in the user's session in Redis).
        using var onSecond = second.CreateBrowser();
        onSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
        await using (var socket = await RawSocket.OpenAsync(onSecond, origin: first.BaseAddress))
        {
            await socket.InitializeAsync();
            Assert.Equal("secret:from the second replica", Text(await socket.RequestAsync(1, "tools/call", new { name = "vault__secret_echo", arguments = new { text = "from the second replica" } })));
        }

        // Each server saw only its own tokens: the protected one only tokens of its authorization server meant for it,
        // the session server's front only the sign-in provider's tokens.
        var seenByProtected = (await stack.Protected.AuditAsync()).Where(entry => entry.TryGetProperty("token_sha256", out var hash) && hash.ValueKind == JsonValueKind.String).ToList();
        Assert.NotEmpty(seenByProtected);
        Assert.All(seenByProtected, entry =>
        {
            Assert.Equal(stack.ProtectedUrl.AbsoluteUri, entry.GetProperty("aud").GetString());
            Assert.Equal(stack.ServerProvider.Issuer, entry.GetProperty("iss").GetString());
        });
        var seenByFront = await stack.Front.AuditAsync();
        Assert.Contains(seenByFront, entry => entry.GetProperty("mcpMethod").GetString() == "tools/call");
        Assert.All(seenByFront, entry => Assert.True(entry.GetProperty("active").GetBoolean(), entry.GetRawText()));

        // Disconnect: the next call asks for authorization again.
        using (var disconnected = await browser.DeleteAsync("/api/connectors/vault"))
        {
            Assert.Equal(HttpStatusCode.OK, disconnected.StatusCode);
        }

        await using (var socket = await RawSocket.OpenAsync(browser))
        {
            await socket.InitializeAsync();
            var refused = (await socket.RequestAsync(1, "tools/call", new { name = "vault__whoami", arguments = new { } })).GetProperty("error");
            Assert.Equal(-32008, refused.GetProperty("code").GetInt32());
        }
    }

    private static List<string> ToolNames(JsonElement listed)
        => [.. listed.GetProperty("tools").EnumerateArray().Select(tool => tool.GetProperty("name").GetString()!)];

    private static string Text(JsonElement answer)
        => answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
}
