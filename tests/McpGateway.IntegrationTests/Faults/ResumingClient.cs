using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// A browser socket that calls <c>echo</c> in a loop through the load balancer, as the frontend's McpSocket does: when a
/// call's connection is lost, the socket reconnects with <c>?resume=</c> its handle and initializes again; a call the
/// resumed session names as pending is answered there (counted as recovered), any other fails with a clear error
/// (counted) and is sent again. Nothing is dropped without being counted.
/// </summary>
internal sealed class ResumingClient(int index, Browser browser) : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private RawSocket? _socket;

    public int Index { get; } = index;

    public string Handle { get; private set; } = "";

    /// <summary>Calls answered with the echo of their own message.</summary>
    public int Answered { get; private set; }

    /// <summary>Calls that failed (connection lost, a JSON-RPC error, no answer) and were sent again; each with why.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Calls that were never answered, even sent again 20 times (there must be none).</summary>
    public List<int> GaveUp { get; } = [];

    /// <summary>New connections after a lost one, and of those, the ones whose initialize said the session continued with the same handle.</summary>
    public int Reconnects { get; private set; }

    public int Resumed { get; private set; }

    /// <summary>Calls in flight when the connection was lost whose answer the resumed session delivered (not sent again).</summary>
    public int Recovered { get; private set; }

    /// <summary>Handles issued instead of the one passed (a new session: the resumption failed).</summary>
    public List<string> NewHandles { get; } = [];

    public DateTime? LostAt { get; private set; }

    /// <summary>The first answered call after the connection was lost.</summary>
    public DateTime? RecoveredAt { get; private set; }

    /// <summary>Calls answered after the connection was lost and the socket came back.</summary>
    public int AnsweredSinceRecovery { get; private set; }

    public async Task OpenAsync()
    {
        _socket = await RawSocket.OpenAsync(browser);
        var initialized = await _socket.InitializeAsync();
        Handle = MetaOf(initialized).Handle;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        for (var call = 1; !stop.IsCancellationRequested; call++)
        {
            var message = $"socket {Index} call {call}";
            var answered = false;
            for (var attempt = 0; attempt < 20 && !answered; attempt++)
            {
                answered = await CallAsync(call, message);
            }

            if (!answered)
            {
                GaveUp.Add(call);
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <returns>Whether the call was answered; otherwise it is counted, and the socket reconnected if its connection was lost.</returns>
    private async Task<bool> CallAsync(int call, string message)
    {
        try
        {
            await _socket!.SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = call, method = "tools/call", @params = new { name = "echo", arguments = new { message } } }));
            return await AnswerAsync(call, message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or WebSocketException or OperationCanceledException)
        {
            LostAt ??= DateTime.UtcNow;
            var pending = await ReconnectAsync();
            if (pending.Contains(call))
            {
                Recovered++;
                return await AnswerAsync(call, message);
            }

            Failures.Add($"{ex.GetType().Name}: {ex.Message}");
            return false;
        }
    }

    private async Task<bool> AnswerAsync(int call, string message)
    {
        var answer = await _socket!.ReceiveAsync(
            received => received.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == call, CallTimeout);
        if (answer.TryGetProperty("result", out var result) && result.GetProperty("content")[0].GetProperty("text").GetString() == "Echo: " + message)
        {
            Answered++;
            if (LostAt is not null)
            {
                RecoveredAt ??= DateTime.UtcNow;
                AnsweredSinceRecovery++;
            }

            return true;
        }

        Failures.Add("answered " + answer.GetRawText());
        await Task.Delay(100, CancellationToken.None);
        return false;
    }

    /// <returns>The ids of the calls the resumed session still answers (<c>_meta["io.mcpgateway/pending"]</c>).</returns>
    private async Task<IReadOnlyList<int>> ReconnectAsync()
    {
        if (_socket is not null)
        {
            _socket.Socket.Abort();
            await _socket.DisposeAsync();
            _socket = null;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _socket = await RawSocket.OpenAsync(browser, query: "?resume=" + Uri.EscapeDataString(Handle));
                var initialized = await _socket.InitializeAsync();
                var (handle, resumed) = MetaOf(initialized);
                Reconnects++;
                if (resumed && handle == Handle)
                {
                    Resumed++;
                }
                else
                {
                    NewHandles.Add(handle);
                    Handle = handle;
                }

                return initialized.GetProperty("result").GetProperty("_meta").TryGetProperty("io.mcpgateway/pending", out var pending)
                    ? [.. pending.EnumerateArray().Select(id => id.GetInt32())]
                    : [];
            }
            catch (Exception ex) when (attempt < 30 && ex is InvalidOperationException or WebSocketException or OperationCanceledException or JsonException)
            {
                // The balancer may still send a connection to the dying replica: the next attempt goes to the other one.
                _socket?.Socket.Abort();
                _socket = null;
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }

    private static (string Handle, bool Resumed) MetaOf(JsonElement initialized)
    {
        var meta = initialized.GetProperty("result").GetProperty("_meta");
        return (meta.GetProperty("io.mcpgateway/resume").GetString()!, meta.GetProperty("io.mcpgateway/resumed").GetBoolean());
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }
    }
}
