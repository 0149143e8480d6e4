using System.Diagnostics;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.IntegrationTests.Infrastructure.Sdk;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp.Sdk;

/// <summary>The bridge against an MCP server built with the SDK that speaks over a WebSocket (a <c>ws://</c> upstream).</summary>
[Collection(nameof(SdkStackCollection))]
public sealed class SdkWebSocketUpstreamTests(SdkStack stack)
{
    private const string Initialize = "2025-11-25";

    [Fact]
    public async Task A_client_initializes_lists_and_calls_tools_through_a_websocket_upstream_that_got_the_users_bearer_on_the_upgrade()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Socket.McpUrl), "sdk-ivy");
        var since = DateTimeOffset.UtcNow;
        var (client, _) = await session.ConnectAsync(protocolVersion: Initialize);
        await using (client)
        {
            Assert.Equal(Initialize, client.NegotiatedProtocolVersion);
            Assert.Equal(WebSocketMcpServer.ServerName, client.ServerInfo?.Name);

            var tools = (await client.ListToolsAsync()).Select(tool => tool.Name).ToList();
            Assert.Equal(["calculator", "file_read"], tools.Take(2));
            Assert.Contains("echo", tools);
            Assert.Contains("whoami", tools);

            Assert.Equal("Echo: over a socket", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "over a socket" })));
            Assert.Equal("sdk-ivy", Text(await client.CallToolAsync("whoami")));
            Assert.Equal("7", Text(await client.CallToolAsync("calculator", new Dictionary<string, object?> { ["expression"] = "1 + 2 * 3" })));
        }

        Assert.Equal(["sdk-ivy"], stack.Socket.UpgradesSince(since));
        var upgrade = Assert.Single(stack.Socket.Audit.Since(since));
        Assert.True(upgrade is { WebSocketUpgrade: true, Active: true, Sub: "sdk-ivy", HadCookie: false, Status: 101 }, $"{upgrade}");
    }

    [Fact]
    public async Task After_the_access_token_expires_the_gateway_reconnects_the_websocket_upstream_with_the_refreshed_token_and_initializes_again()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Socket.McpUrl), "sdk-jo");
        var since = DateTimeOffset.UtcNow;
        var (client, _) = await session.ConnectAsync(protocolVersion: Initialize);
        await using (client)
        {
            Assert.Equal("sdk-jo", Text(await client.CallToolAsync("whoami")));
            await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds + 1));

            Assert.Equal("Echo: after expiry", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after expiry" })));
            Assert.Equal("sdk-jo", Text(await client.CallToolAsync("whoami")));
        }

        Assert.Equal(["sdk-jo", "sdk-jo"], stack.Socket.UpgradesSince(since));
        var upgrades = stack.Socket.Audit.Since(since);
        Assert.Equal(2, upgrades.Count);
        Assert.All(upgrades, entry => Assert.True(entry is { Active: true, Sub: "sdk-jo", HadCookie: false, Status: 101 }, $"{entry}"));
        Assert.NotEqual(upgrades[0].TokenHash, upgrades[1].TokenHash);
        Assert.Contains(session.Gateway.Logs.Lines, line => line.Contains("opened and initialized in place of the lost one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_2026_client_keeps_working_through_a_websocket_upstream_after_the_access_token_is_refreshed()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Socket.McpUrl), "sdk-kit");
        var since = DateTimeOffset.UtcNow;
        var (client, _) = await session.ConnectAsync();
        await using (client)
        {
            // The SDK server over a WebSocket accepts server/discover: no initialize, no session.
            Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
            Assert.Equal("sdk-kit", Text(await client.CallToolAsync("whoami")));
            await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds + 1));

            Assert.Equal("Echo: after expiry", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after expiry" })));
            Assert.Equal("sdk-kit", Text(await client.CallToolAsync("whoami")));
        }

        Assert.Equal(["sdk-kit", "sdk-kit"], stack.Socket.UpgradesSince(since));
        var upgrades = stack.Socket.Audit.Since(since);
        Assert.All(upgrades, entry => Assert.True(entry is { Active: true, Sub: "sdk-kit", Status: 101 }, $"{entry}"));
        Assert.NotEqual(upgrades[0].TokenHash, upgrades[1].TokenHash);
    }

    [Fact]
    public async Task A_call_in_flight_when_the_websocket_upstream_is_reconnected_ends_promptly_instead_of_waiting_for_the_request_timeout()
    {
        await using var session = await SignedInGateway.StartAsync(stack.Settings(stack.Socket.McpUrl, requestTimeout: TimeSpan.FromSeconds(30)), "sdk-lou");
        var since = DateTimeOffset.UtcNow;
        var (client, _) = await session.ConnectAsync(protocolVersion: Initialize);
        await using (client)
        {
            var clock = Stopwatch.StartNew();
            var slow = client.CallToolAsync("slow", new Dictionary<string, object?> { ["seconds"] = 9 }).AsTask();
            await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds + 1));
            Assert.Equal("Echo: meanwhile", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "meanwhile" })));

            // The connection the call went out on is closed by the reconnect. Its answer may come (were the old
            // connection drained) or an error at once (the gateway's choice: it cannot know whether the server acted);
            // what must not happen is silence until Mcp:RequestTimeout.
            try
            {
                Assert.Equal("slept 9s", Text(await slow.WaitAsync(TimeSpan.FromSeconds(12) - clock.Elapsed)));
            }
            catch (McpProtocolException ex)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"the error came after {clock.Elapsed}: {ex.Message}");
                Assert.Equal(-32000, (int)ex.ErrorCode);
            }
        }

        Assert.Equal(2, stack.Socket.UpgradesSince(since).Count);
    }

    private static string Text(CallToolResult result) => ToolText.Of(result);
}
