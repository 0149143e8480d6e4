using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.IntegrationTests.Infrastructure.Sdk;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp.Sdk;

/// <summary>The bridge against an MCP server built with the SDK, over Streamable HTTP with stateful sessions.</summary>
[Collection(nameof(SdkStackCollection))]
public sealed class SdkStreamableHttpUpstreamTests(SdkStack stack)
{
    private static readonly string[] SdkTools = ["echo", "whoami", "slow", "ask", "summarize", "delegate"];

    [Fact]
    public async Task A_default_client_falls_back_from_server_discover_to_initialize_and_lists_the_servers_tools_and_the_gateways()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-ada");
        var (client, _) = await session.ConnectAsync();
        await using (client)
        {
            Assert.Equal("2025-11-25", client.NegotiatedProtocolVersion);
            Assert.Equal(SdkMcpServer.ServerName, client.ServerInfo?.Name);
            Assert.NotNull(client.ServerCapabilities.Tools);

            var tools = (await client.ListToolsAsync()).Select(tool => tool.Name).ToList();
            Assert.Equal(["calculator", "file_read"], tools.Take(2));
            Assert.All(SdkTools, name => Assert.Contains(name, tools));
            Assert.Equal(tools.Count, tools.Distinct().Count());
        }

        // The server saw the 2026-07-28 probe first (and refused it), then the 2025-11-25 handshake.
        var methods = stack.Http.Audit.For("sdk-ada").Select(entry => entry.McpMethod).ToList();
        var discover = methods.IndexOf("server/discover");
        Assert.True(discover >= 0, "server/discover never reached the server: " + string.Join(", ", methods));
        Assert.Equal(400, stack.Http.Audit.For("sdk-ada")[discover].Status);
        Assert.True(methods.IndexOf("initialize") > discover, string.Join(", ", methods));
        Assert.Contains("notifications/initialized", methods);
        Assert.Contains("tools/list", methods);
    }

    [Fact]
    public async Task A_refused_server_discover_reaches_the_browser_with_the_versions_the_server_supports()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-abe");
        await using var socket = await RawSocket.OpenAsync(session.Browser);

        var refused = await socket.RequestAsync(1, "server/discover", new
        {
            _meta = new Dictionary<string, object>
            {
                ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
                ["io.modelcontextprotocol/clientInfo"] = new { name = "raw-test", version = "1.0" },
                ["io.modelcontextprotocol/clientCapabilities"] = new { },
            },
        });

        var error = refused.GetProperty("error");
        Assert.Equal(-32022, error.GetProperty("code").GetInt32());
        Assert.True(error.TryGetProperty("data", out var data), error.ToString());
        Assert.Contains("2025-11-25", data.GetProperty("supported").EnumerateArray().Select(version => version.GetString()));
        Assert.Equal("2026-07-28", data.GetProperty("requested").GetString());
    }

    [Fact]
    public async Task Whoami_answers_the_signed_in_user_and_every_request_the_server_saw_carried_an_active_bearer_of_that_user_and_no_cookie()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-bea");
        var since = DateTimeOffset.UtcNow;
        var (client, _) = await session.ConnectAsync();
        await using (client)
        {
            Assert.Equal("sdk-bea", Text(await client.CallToolAsync("whoami")));
            Assert.Equal("Echo: hi", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hi" })));
        }

        // Disposing the client closed the socket; the gateway then ends the upstream session (DELETE).
        await GatewayAssertions.EventuallyAsync(
            () => Task.FromResult(stack.Http.Audit.Since(since).Any(entry => entry.Method == "DELETE")), TimeSpan.FromSeconds(10), "the gateway deleted the upstream session");

        var audit = stack.Http.Audit.Since(since);
        Assert.Contains(audit, entry => entry.McpMethod == "tools/call");
        Assert.All(audit, entry =>
        {
            Assert.True(entry.Active, $"{entry}");
            Assert.Equal("sdk-bea", entry.Sub);
            Assert.False(entry.HadCookie, $"{entry}");
        });
    }

    [Fact]
    public async Task After_the_server_forgets_its_sessions_the_next_call_succeeds_on_a_new_session()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-gus");
        var (client, _) = await session.ConnectAsync();
        await using (client)
        {
            Assert.Equal("Echo: one", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "one" })));
            var first = Assert.Single(SessionsOf("sdk-gus"));

            await stack.Http.ForgetSessionsAsync();

            Assert.Equal("Echo: two", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "two" })));
            Assert.Equal("sdk-gus", Text(await client.CallToolAsync("whoami")));

            // The SDK answered the old session id with 404; the gateway initialized a new session and retried.
            var audit = stack.Http.Audit.For("sdk-gus");
            Assert.Contains(audit, entry => entry.SessionHash == first && entry.Status == 404);
            var sessions = SessionsOf("sdk-gus");
            Assert.Equal(2, sessions.Count);
            Assert.Equal(first, sessions[0]);
            Assert.Equal(2, audit.Count(entry => entry.McpMethod == "initialize" && entry.Status == 200));
            Assert.Contains(audit, entry => entry.McpMethod == "tools/call" && entry.SessionHash != first && entry.Status == 200);
        }

        Assert.Contains(session.Gateway.Logs.Lines, line => line.Contains("opened and initialized in place of the lost one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_socket_stays_usable_across_an_access_token_expiry_and_the_server_sees_each_refreshed_token_active()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Http.McpUrl), "sdk-hal");
        var since = DateTimeOffset.UtcNow;
        var (client, _) = await session.ConnectAsync();
        await using (client)
        {
            Assert.Equal("Echo: before", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "before" })));
            await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds + 1));
            Assert.Equal("Echo: after", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after" })));
        }

        var audit = stack.Http.Audit.Since(since);
        Assert.All(audit, entry => Assert.True(entry.Active && entry.Sub == "sdk-hal", $"{entry}"));
        Assert.True(audit.Select(entry => entry.TokenHash).Distinct().Count() > 1, "the server saw one token only");
    }

    private List<string> SessionsOf(string user)
        => [.. stack.Http.Audit.For(user).Select(entry => entry.SessionHash).OfType<string>().Distinct()];

    private static string Text(CallToolResult result) => ToolText.Of(result);
}
