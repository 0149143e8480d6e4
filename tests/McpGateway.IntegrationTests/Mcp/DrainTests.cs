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
            @params = new { name = "trigger-long-running-operation", arguments = new { duration = 5, steps = 5 }, _meta = new { progressToken = "drain" } },
        }));
        // The call is running upstream once its first progress arrives.
        await socket.ReceiveAsync(message => message.TryGetProperty("method", out var method) && method.GetString() == "notifications/progress", TimeSpan.FromSeconds(20));

        // What SIGTERM does first: the host's ApplicationStopping.
        var stopping = Task.Run(() => gateway.GetRequiredService<IHostApplicationLifetime>().StopApplication());

        // Ask until a request is refused as draining, keeping every message on the way (the call's answer may come among them).
        JsonElement? finished = null;
        var refused = false;
        for (var id = 100; !refused && id < 200; id++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            await socket.SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method = "ping" }));
            while (true)
            {
                var message = await socket.ReceiveAsync(TimeSpan.FromSeconds(20));
                if (IsAnswerTo(message, 7))
                {
                    finished = message;
                }
                else if (IsAnswerTo(message, id))
                {
                    refused = message.TryGetProperty("error", out var error) && error.GetProperty("code").GetInt32() == -32007;
                    break;
                }
            }
        }

        Assert.True(refused, "no request was refused as draining");
        finished ??= await socket.ReceiveAsync(message => IsAnswerTo(message, 7), TimeSpan.FromSeconds(20));
        Assert.True(finished.Value.TryGetProperty("result", out _), "the call in flight finishes: " + finished);
        var (status, reason) = await socket.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Contains("reconnect", reason, StringComparison.Ordinal);
        await stopping;
    }

    private static bool IsAnswerTo(JsonElement message, int id)
        => message.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == id
           && !message.TryGetProperty("method", out _);
}
