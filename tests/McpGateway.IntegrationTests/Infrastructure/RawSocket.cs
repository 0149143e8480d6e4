using System.Net.WebSockets;
using System.Text.Json;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>A browser socket driven frame by frame, for protocol details and hostile input.</summary>
internal sealed class RawSocket(ClientWebSocket socket) : IAsyncDisposable
{
    public ClientWebSocket Socket { get; } = socket;

    /// <summary>Opens a socket from a page of <c>origin</c> (by default the browser's gateway; replicas share the public one).</summary>
    public static async Task<RawSocket> OpenAsync(Browser browser, string subProtocol = "mcp", Uri? origin = null, string? query = null)
        => new(await BrowserSockets.OpenAsync(browser, subProtocol, origin?.GetLeftPart(UriPartial.Authority), query));

    public Task SendAsync(string text) => WebSocketText.SendAsync(Socket, text);

    /// <summary>The next message as JSON; fails the test if none comes within the timeout.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var text = await WebSocketText.ReceiveAsync(Socket, cancel.Token)
            ?? throw new InvalidOperationException($"The socket closed: {Socket.CloseStatus} {Socket.CloseStatusDescription}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Receives until a message matches, e.g. skipping notifications to find a response by id.</summary>
    public async Task<JsonElement> ReceiveAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            if (match(message))
            {
                return message;
            }
        }
    }

    /// <summary>A JSON-RPC request, and its response (notifications on the way are skipped).</summary>
    public async Task<JsonElement> RequestAsync(int id, string method, object? parameters = null)
    {
        await SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters ?? new { } }));
        return await ReceiveAsync(message => message.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == id);
    }

    /// <summary>The MCP handshake, as a browser client performs it.</summary>
    public async Task<JsonElement> InitializeAsync()
    {
        var result = await RequestAsync(0, "initialize", new
        {
            protocolVersion = "2025-11-25",
            capabilities = new { },
            clientInfo = new { name = "raw-test", version = "1.0" },
        });
        await SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        return result;
    }

    /// <summary>Waits until the gateway closes the socket; returns its close code and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        try
        {
            while (Socket.State == WebSocketState.Open)
            {
                var received = await Socket.ReceiveAsync(buffer, cancel.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (WebSocketException)
        {
        }

        return (Socket.CloseStatus, Socket.CloseStatusDescription);
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        Socket.Dispose();
    }
}
