using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class LimitTests(McpStack stack)
{
    [Fact]
    public async Task Sockets_beyond_the_per_user_limit_are_closed_with_a_reason_and_other_users_are_not_affected()
    {
        await using var gateway = GatewayHost.Start(WithLimits(("Mcp:MaxSocketsPerUser", "2")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("sam");
        using var other = gateway.CreateBrowser();
        await other.LoginAsync("tina");

        await using var first = await RawSocket.OpenAsync(browser);
        await using var second = await RawSocket.OpenAsync(browser);
        await using var third = await RawSocket.OpenAsync(browser);
        var (status, reason) = await third.WaitForCloseAsync();
        await using var others = await RawSocket.OpenAsync(other);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("at most 2", reason, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, (await first.RequestAsync(1, "gateway/auth")).GetProperty("result").ValueKind);
        Assert.Equal("tina", (await others.RequestAsync(1, "gateway/auth")).GetProperty("result").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Requests_beyond_the_per_socket_concurrency_limit_get_an_error_while_the_others_finish()
    {
        await using var gateway = GatewayHost.Start(WithLimits(("Mcp:MaxConcurrentRequestsPerSocket", "2")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("uma");
        await using var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();

        foreach (var id in new[] { 11, 12, 13 })
        {
            await socket.SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method = "tools/call", @params = new { name = "trigger-long-running-operation", arguments = new { duration = 2, steps = 2 } } }));
        }

        var refused = await socket.ReceiveAsync(message => message.TryGetProperty("id", out var id) && id.GetInt32() == 13);
        Assert.Equal(-32005, refused.GetProperty("error").GetProperty("code").GetInt32());
        var finished = await socket.ReceiveAsync(message => message.TryGetProperty("id", out var id) && id.GetInt32() is 11 or 12, TimeSpan.FromSeconds(20));
        Assert.True(finished.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task An_idle_socket_is_closed_with_4408()
    {
        await using var gateway = GatewayHost.Start(WithLimits(("Mcp:IdleTimeout", "00:00:02")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("vera");
        await using var socket = await RawSocket.OpenAsync(browser);

        var (status, reason) = await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4408, (int)status!);
        Assert.Contains("No message", reason, StringComparison.Ordinal);
    }

    private GatewaySettings WithLimits(params (string Key, string Value)[] limits)
    {
        var settings = stack.Settings();
        var extra = new Dictionary<string, string?>(settings.Extra);
        foreach (var (key, value) in limits)
        {
            extra[key] = value;
        }

        return settings with { Extra = extra };
    }
}
