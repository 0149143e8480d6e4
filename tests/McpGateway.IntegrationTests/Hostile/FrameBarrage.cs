using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// Sends generated frames down one socket as fast as the gateway takes them, reads everything that
/// comes back, and checks the accounts: every request answered exactly once under its id, every frame
/// that cannot be matched to a request answered by one error without an id, nothing answered that was
/// not asked, and the socket still open and serving at the end.
/// </summary>
internal static class FrameBarrage
{
    private static readonly TimeSpan AnswersWithin = TimeSpan.FromSeconds(40);

    public static async Task RunAsync(Browser browser, bool envelope, IReadOnlyList<HostileFrame> frames, AttackLog log, string label)
    {
        using var socket = await BrowserSockets.OpenAsync(browser, envelope ? "mcp-v1" : "mcp");
        using var stop = new CancellationTokenSource();
        var answers = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var withoutId = 0;
        var unparsable = new ConcurrentQueue<string>();
        await InitializeAsync(socket, envelope);
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await WebSocketText.ReceiveAsync(socket, stop.Token) is { } text)
                {
                    log.Frame(label, text);
                    JsonElement message;
                    try
                    {
                        message = JsonDocument.Parse(text).RootElement;
                    }
                    catch (JsonException)
                    {
                        unparsable.Enqueue(text);
                        continue;
                    }

                    if (message.TryGetProperty("method", out _))
                    {
                        continue; // a notification or a request of the server's
                    }

                    if (message.TryGetProperty("id", out var id) && HostileFrames.KeyOf(id) is { } key)
                    {
                        answers.AddOrUpdate(key, 1, (_, count) => count + 1);
                    }
                    else if (message.TryGetProperty("error", out _))
                    {
                        Interlocked.Increment(ref withoutId);
                    }
                    else
                    {
                        unparsable.Enqueue(text);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        });

        foreach (var frame in frames)
        {
            log.CountCase();
            await socket.SendAsync(frame.Bytes, frame.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }

        // A last request: when it is answered and every request before it too, the accounts can be closed.
        var probe = "probe-" + Guid.NewGuid().ToString("N");
        await WebSocketText.SendAsync(socket, envelope
            ? $"{{\"id\":\"{probe}\",\"type\":\"request\",\"method\":\"auth\"}}"
            : $"{{\"jsonrpc\":\"2.0\",\"id\":\"{probe}\",\"method\":\"gateway/auth\"}}");
        var owed = frames.Where(frame => frame.Owed == Owed.AnswerWithId).GroupBy(frame => frame.IdKey!).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + AnswersWithin;
        while (DateTime.UtcNow < deadline && (!answers.ContainsKey("s:" + probe) || owed.Any(pair => answers.GetValueOrDefault(pair.Key) < pair.Value)))
        {
            await Task.Delay(50);
        }

        // Anything still on its way arrives now.
        await Task.Delay(300);
        var state = socket.State;
        await stop.CancelAsync();
        await reading;

        if (state != WebSocketState.Open)
        {
            log.Violation(label, $"the socket closed during the barrage: {socket.CloseStatus} {socket.CloseStatusDescription}");
            return;
        }

        if (!answers.ContainsKey("s:" + probe))
        {
            log.Violation(label, "the final request was never answered: the socket is wedged");
        }

        foreach (var text in unparsable)
        {
            log.Violation(label, "the gateway sent something that is not a JSON-RPC answer: " + OpenRedirectTests.Show(text));
        }

        var optional = frames.Where(frame => frame.Owed == Owed.AnswerWithIdOrErrorWithoutId).Select(frame => frame.IdKey!).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, count) in owed)
        {
            var got = answers.GetValueOrDefault(key);
            if (got != count)
            {
                var frame = frames.First(candidate => candidate.IdKey == key);
                log.Violation(label, $"{frame.Kind} {frame.Shown}: {count} request(s) with id {OpenRedirectTests.Show(key)} got {got} answer(s)");
            }
        }

        foreach (var (key, count) in answers)
        {
            if (!owed.ContainsKey(key) && key != "s:" + probe && !(optional.Contains(key) && count == 1))
            {
                log.Violation(label, $"{count} answer(s) with id {OpenRedirectTests.Show(key)}, which no request owed an answer");
            }
        }

        var fewest = frames.Count(frame => frame.Owed == Owed.ErrorWithoutId) + optional.Count(key => !answers.ContainsKey(key));
        var most = fewest + frames.Count(frame => frame.Owed == Owed.NothingOrErrorWithoutId);
        if (withoutId < fewest || withoutId > most)
        {
            log.Violation(label, $"{withoutId} errors without an id, where {fewest} to {most} were owed");
        }

        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>Opens a socket, sends one frame, and returns how the gateway closed it (or null if it stayed open).</summary>
    public static async Task<(WebSocketCloseStatus? Status, string? Reason, string? Answer)> ClosingCaseAsync(
        Browser browser, bool envelope, Func<ClientWebSocket, Task> send, AttackLog log, string label)
    {
        using var socket = await BrowserSockets.OpenAsync(browser, envelope ? "mcp-v1" : "mcp");
        log.CountCase();
        var sending = Task.Run(async () =>
        {
            try
            {
                await send(socket);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The gateway closed the socket while the frame was still going out.
            }
        });
        string? answer = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            answer = await WebSocketText.ReceiveAsync(socket, timeout.Token);
            if (answer is not null)
            {
                log.Frame(label, answer);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        await sending;
        log.Close(label, socket.CloseStatus, socket.CloseStatusDescription);
        var status = socket.State == WebSocketState.Open ? (WebSocketCloseStatus?)null : socket.CloseStatus;
        return (status, socket.CloseStatusDescription, answer);
    }

    private static async Task InitializeAsync(ClientWebSocket socket, bool envelope)
    {
        const string Parameters = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"hostile\",\"version\":\"1\"}}";
        await WebSocketText.SendAsync(socket, envelope
            ? $"{{\"id\":\"init\",\"type\":\"request\",\"method\":\"initialize\",\"params\":{Parameters}}}"
            : $"{{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{Parameters}}}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await WebSocketText.ReceiveAsync(socket, timeout.Token) is { } text)
        {
            if (text.Contains("\"init\"", StringComparison.Ordinal))
            {
                if (!text.Contains("\"result\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("initialize failed: " + text);
                }

                break;
            }
        }

        await WebSocketText.SendAsync(socket, envelope
            ? "{\"type\":\"notification\",\"method\":\"notifications/initialized\"}"
            : "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    /// <summary>Text bytes that are not UTF-8, each inside an otherwise valid request.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> InvalidUtf8(bool envelope)
    {
        byte[][] sequences =
        [
            [0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xE2, 0x82], [0x80], [0xBF, 0xBF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC1, 0xBF],
        ];
        foreach (var sequence in sequences)
        {
            var head = Encoding.UTF8.GetBytes(envelope
                ? "{\"id\":\"u\",\"type\":\"request\",\"method\":\"tool_call\",\"params\":{\"tool_name\":\"calculator\",\"parameters\":{\"expression\":\"1"
                : "{\"jsonrpc\":\"2.0\",\"id\":\"u\",\"method\":\"tools/call\",\"params\":{\"name\":\"calculator\",\"arguments\":{\"expression\":\"1");
            var tail = Encoding.UTF8.GetBytes("\"}}}");
            yield return (Convert.ToHexString(sequence) + " inside", [.. head, .. sequence, .. tail]);
        }

        yield return ("C3 at the very end", [.. Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"x\"}"), 0xC3]);
    }
}
