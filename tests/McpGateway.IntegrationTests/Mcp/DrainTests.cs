using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>Graceful drain on SIGTERM: calls in flight finish, new ones are refused with a reason, then the socket is told to reconnect.</summary>
[Collection(nameof(McpStackCollection))]
public sealed class DrainTests(McpStack stack)
{
    [Fact]
    public async Task On_shutdown_a_call_in_flight_finishes_a_new_one_is_refused_as_draining_and_the_socket_closes_with_1001()
    {
        var settings = stack.Settings();
        settings = settings with { Extra = new Dictionary<string, string?>(settings.Extra) { ["Mcp:DrainTimeout"] = "00:00:20" } };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("drew");
        await using var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();
        await socket.SendAsync(JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = 7, method = "tools/call",
            @params = new { name = "trigger-long-running-operation", arguments = new { duration = 3, steps = 3 }, _meta = new { progressToken = "drain" } },
        }));
        // The call is running upstream once its first progress arrives.
        await socket.ReceiveAsync(message => message.TryGetProperty("method", out var method) && method.GetString() == "notifications/progress", TimeSpan.FromSeconds(20));

        // What SIGTERM does first: the host's ApplicationStopping.
        var stopping = Task.Run(() => gateway.GetRequiredService<IHostApplicationLifetime>().StopApplication());
        await GatewayAssertions.EventuallyAsync(async () =>
        {
            var answer = await socket.RequestAsync(8, "tools/list");
            return answer.TryGetProperty("error", out var error) && error.GetProperty("code").GetInt32() == -32007;
        }, TimeSpan.FromSeconds(10), "new requests are refused as draining");

        var finished = await socket.ReceiveAsync(message => message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == 7, TimeSpan.FromSeconds(20));
        Assert.True(finished.TryGetProperty("result", out _), "the call in flight finishes: " + finished);
        var (status, reason) = await socket.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Contains("reconnect", reason, StringComparison.Ordinal);
        await stopping;
    }
}
