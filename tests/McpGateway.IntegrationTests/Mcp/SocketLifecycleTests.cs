using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class SocketLifecycleTests(McpStack stack)
{
    [Fact]
    public async Task A_context_stored_on_one_replica_is_pushed_to_the_users_socket_on_another()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("wendy");
        using var otherTab = new Browser(second.BaseAddress);
        otherTab.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
        using var stranger = first.CreateBrowser();
        await stranger.LoginAsync("xavier");

        await using var listening = await RawSocket.OpenAsync(otherTab, origin: first.BaseAddress);
        await listening.InitializeAsync();
        await using var strangerSocket = await RawSocket.OpenAsync(stranger);
        await strangerSocket.InitializeAsync();
        await using var storing = await RawSocket.OpenAsync(browser);
        var stored = await storing.RequestAsync(5, "context/store", new { conversation_id = "trip", content = "flight at 9", metadata = new { model = "m", tokens_used = 3 } });
        var id = stored.GetProperty("result").GetProperty("context").GetProperty("id").GetString();

        var pushed = await listening.ReceiveAsync(message => message.TryGetProperty("method", out var method) && method.GetString() == "notifications/context/updated");
        Assert.Equal(id, pushed.GetProperty("params").GetProperty("id").GetString());
        Assert.Equal("flight at 9", pushed.GetProperty("params").GetProperty("context").GetProperty("content").GetString());

        using var deleted = await browser.DeleteAsync($"/api/conversations/trip/contexts/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        var removal = await listening.ReceiveAsync(message => message.TryGetProperty("method", out var method) && method.GetString() == "notifications/context/updated");
        Assert.Equal("deleted", removal.GetProperty("params").GetProperty("action").GetString());

        var strangerList = await strangerSocket.RequestAsync(9, "context/list", new { conversation_id = "trip" });
        Assert.Equal(0, strangerList.GetProperty("result").GetProperty("contexts").GetArrayLength());
        // The upstream may notify the stranger of its own things; never of another user's contexts.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => strangerSocket.ReceiveAsync(
            message => message.TryGetProperty("method", out var method) && method.GetString() == "notifications/context/updated", TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Logging_out_closes_the_users_open_sockets_with_4401()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("yvonne");
        await using var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();

        using var logout = await browser.PostAsync("/auth/logout");
        var (status, reason) = await socket.WaitForCloseAsync();

        Assert.Equal(4401, (int)status!);
        Assert.Contains("session ended", reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_upstream_that_is_down_gives_a_json_rpc_error_and_the_socket_keeps_serving_gateway_tools()
    {
        await using var gateway = GatewayHost.Start(stack.Settings(mcpUrl: new Uri($"http://127.0.0.1:{FreePort.Next()}/mcp")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("zed");
        await using var socket = await RawSocket.OpenAsync(browser);

        var initialize = await socket.RequestAsync(1, "initialize", new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "t", version = "1" } });
        Assert.Equal(-32000, initialize.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("unavailable", initialize.GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);

        var listed = await socket.RequestAsync(2, "tools/list");
        Assert.Equal(-32000, listed.GetProperty("error").GetProperty("code").GetInt32());
        var calculated = await socket.RequestAsync(3, "tools/call", new { name = "calculator", arguments = new { expression = "1+1" } });
        Assert.Equal("2", calculated.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_session_the_upstream_lost_is_initialized_again_without_the_browser_noticing()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("ursula");
        await using var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();
        Assert.Equal("Echo: one", EchoText(await socket.RequestAsync(1, "tools/call", new { name = "echo", arguments = new { message = "one" } })));

        // The MCP server restarts and forgets every session.
        await stack.Everything.StopAsync();
        await stack.Everything.StartAgainAsync();

        var echoed = await socket.RequestAsync(2, "tools/call", new { name = "echo", arguments = new { message = "two" } });
        Assert.Equal("Echo: two", EchoText(echoed));
    }

    private static string? EchoText(JsonElement response) => response.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString();
}
