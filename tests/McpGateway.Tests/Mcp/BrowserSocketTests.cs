using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using McpGateway.Mcp;

namespace McpGateway.Tests.Mcp;

public sealed class BrowserSocketTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly WebSocketPair _pair = new();
    private readonly ConcurrentQueue<(string Text, bool IsText)> _received = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _pair.Dispose();

    [Fact]
    public async Task A_message_sent_in_several_frames_is_delivered_once_and_whole()
    {
        var socket = new BrowserSocket(_pair.Gateway, 64 * 1024);
        var receiving = ReceiveAsync(socket);

        await SendFramesAsync(WebSocketMessageType.Text, "{\"jsonrpc\":\"2.0\",", "\"id\":1,\"method\":", "\"tools/list\"}");
        await SendFramesAsync(WebSocketMessageType.Text, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await CloseFromBrowserAsync(receiving);

        Assert.Equal(
            [("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", true), ("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", true)],
            _received);
    }

    [Theory]
    [InlineData(1024, 1024)]
    [InlineData(4096, 4096)]
    [InlineData(4096, 4095)]
    [InlineData(5000, 5000)]
    [InlineData(100_000, 100_000)]
    [InlineData(1024 * 1024, 1024 * 1024)]
    public async Task A_message_up_to_the_limit_is_delivered_whatever_its_fragments(int limit, int size)
    {
        var socket = new BrowserSocket(_pair.Gateway, limit);
        var receiving = ReceiveAsync(socket);
        var text = Payload(size);

        await SendFramesAsync(WebSocketMessageType.Text, [.. text.Chunk(1000).Select(chunk => new string(chunk))]);
        await SendFramesAsync(WebSocketMessageType.Text, "small");
        await CloseFromBrowserAsync(receiving);

        Assert.Equal([text, "small"], _received.Select(message => message.Text));
    }

    [Theory]
    [InlineData(1024, 1)]
    [InlineData(1024, 3)]
    [InlineData(4096, 1)]
    [InlineData(4096, 5)]
    [InlineData(5000, 1)]
    [InlineData(10_000, 4)]
    public async Task A_message_over_the_limit_closes_the_socket_with_1009_and_a_reason(int limit, int fragments)
    {
        var socket = new BrowserSocket(_pair.Gateway, limit);
        var receiving = ReceiveAsync(socket);
        await SendFramesAsync(WebSocketMessageType.Text, "first");
        var text = Payload(limit + 1);

        await SendFramesAsync(WebSocketMessageType.Text, [.. text.Chunk((text.Length / fragments) + 1).Select(chunk => new string(chunk))]);
        var close = await BrowserReceiveAsync();

        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, _pair.Browser.CloseStatus);
        Assert.Equal($"Message larger than {limit} bytes.", _pair.Browser.CloseStatusDescription);
        await receiving.WaitAsync(Patience, Cancellation);
        Assert.Equal((WebSocketCloseStatus.MessageTooBig, $"Message larger than {limit} bytes."), socket.Closed);
        Assert.Equal(["first"], _received.Select(message => message.Text));
    }

    [Fact]
    public async Task Binary_messages_are_flagged_as_not_text()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var receiving = ReceiveAsync(socket);

        await SendFramesAsync(WebSocketMessageType.Binary, "\u0001\u0002");
        await SendFramesAsync(WebSocketMessageType.Text, "text");
        await CloseFromBrowserAsync(receiving);

        Assert.Equal([("\u0001\u0002", false), ("text", true)], _received);
    }

    [Fact]
    public async Task An_empty_message_is_delivered()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var receiving = ReceiveAsync(socket);

        await SendFramesAsync(WebSocketMessageType.Text, "");
        await CloseFromBrowserAsync(receiving);

        Assert.Equal([("", true)], _received);
    }

    [Fact]
    public async Task Between_messages_the_socket_waits_with_a_zero_byte_read_and_holds_no_buffer()
    {
        var recording = new RecordingWebSocket(_pair.Gateway);
        var socket = new BrowserSocket(recording, 64 * 1024);
        var receiving = ReceiveAsync(socket);

        await SendFramesAsync(WebSocketMessageType.Text, "{\"a\":", "1}");
        await SendFramesAsync(WebSocketMessageType.Text, "{\"b\":2}");
        await CloseFromBrowserAsync(receiving);

        Assert.Equal([("{\"a\":1}", true), ("{\"b\":2}", true)], _received);
        var sizes = recording.ReceiveBufferSizes.ToArray();
        // Each message starts with a zero-byte wait; only then is a buffer rented and read into.
        Assert.Equal(0, sizes[0]);
        Assert.Equal(3, sizes.Count(size => size == 0));
        Assert.All(sizes.Where(size => size != 0), size => Assert.True(size >= 1024, $"read into {size} bytes"));
    }

    [Fact]
    public async Task The_browsers_close_is_answered_and_its_code_and_reason_kept()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var receiving = ReceiveAsync(socket);

        await _pair.Browser.CloseAsync((WebSocketCloseStatus)4000, "tab closed", Cancellation).WaitAsync(Patience, Cancellation);
        await receiving.WaitAsync(Patience, Cancellation);

        Assert.Equal(((WebSocketCloseStatus)4000, "tab closed"), socket.Closed);
        Assert.Equal(WebSocketState.Closed, _pair.Browser.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, _pair.Browser.CloseStatus);
        Assert.Equal("Closed by the client.", _pair.Browser.CloseStatusDescription);
    }

    [Fact]
    public async Task The_gateway_closes_once_with_its_code_and_reason_and_waits_for_the_browsers_answer()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var receiving = ReceiveAsync(socket);

        await socket.CloseAsync(McpCloseCodes.SessionEnded, "The session ended; sign in again.");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "second close is ignored");
        var close = await BrowserReceiveAsync();
        Assert.False(receiving.IsCompleted, "the gateway stopped reading before the browser answered the close");
        await _pair.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", Cancellation);
        await receiving.WaitAsync(Patience, Cancellation);

        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal((WebSocketCloseStatus)4401, _pair.Browser.CloseStatus);
        Assert.Equal("The session ended; sign in again.", _pair.Browser.CloseStatusDescription);
        Assert.Equal((McpCloseCodes.SessionEnded, "The session ended; sign in again."), socket.Closed);
        Assert.Equal(WebSocketState.Closed, _pair.Gateway.State);
    }

    [Fact]
    public async Task What_the_browser_sends_after_the_gateway_closed_is_not_acted_upon()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var receiving = ReceiveAsync(socket);

        await socket.CloseAsync(McpCloseCodes.IdleTimeout, "idle");
        await SendFramesAsync(WebSocketMessageType.Text, """{"jsonrpc":"2.0","id":1,"method":"tools/call"}""");
        await _pair.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", Cancellation);
        await receiving.WaitAsync(Patience, Cancellation);

        Assert.Empty(_received);
    }

    [Fact]
    public async Task A_long_close_reason_is_cut_to_fit_a_close_frame()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);

        await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, new string('r', 300));
        await BrowserReceiveAsync();

        Assert.Equal(new string('r', 123), _pair.Browser.CloseStatusDescription);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, _pair.Browser.CloseStatus);
    }

    [Fact]
    public async Task A_long_non_ascii_close_reason_is_cut_to_fit_a_close_frame()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);

        await socket.CloseAsync(McpCloseCodes.SessionEnded, new string('é', 100));
        await BrowserReceiveAsync();

        Assert.Equal((WebSocketCloseStatus)4401, _pair.Browser.CloseStatus);
        Assert.InRange(Encoding.UTF8.GetByteCount(_pair.Browser.CloseStatusDescription!), 1, 123);
    }

    [Fact]
    public async Task Messages_queued_from_many_threads_are_sent_whole_one_at_a_time_and_in_order_per_sender()
    {
        const int Senders = 8;
        const int PerSender = 300;
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var sending = socket.SendLoopAsync(Cancellation);
        var reading = Task.Run(async () =>
        {
            var messages = new List<string>();
            var buffer = new byte[64 * 1024];
            while (messages.Count < Senders * PerSender)
            {
                var received = await _pair.Browser.ReceiveAsync(buffer, Cancellation);
                Assert.True(received.EndOfMessage, "a message was split or interleaved");
                messages.Add(Encoding.UTF8.GetString(buffer, 0, received.Count));
            }

            return messages;
        }, Cancellation);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            await start.Task;
            for (var index = 0; index < PerSender; index++)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes($"{sender}:{index}:{new string('x', (index % 7) * 500)}"), Cancellation);
            }
        }, Cancellation)).ToList();
        start.SetResult();
        await Task.WhenAll(senders).WaitAsync(Patience, Cancellation);
        var messages = await reading.WaitAsync(Patience, Cancellation);

        Assert.Equal(Senders * PerSender, messages.Count);
        foreach (var group in messages.Select(message => message.Split(':')).GroupBy(parts => parts[0]))
        {
            Assert.Equal(Enumerable.Range(0, PerSender), group.Select(parts => int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.All(group, parts => Assert.Equal((int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) % 7) * 500, parts[2].Length));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done");
        await sending.WaitAsync(Patience, Cancellation);
    }

    [Fact]
    public async Task Sending_after_the_gateway_closed_is_a_quiet_no_op()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var sending = socket.SendLoopAsync(Cancellation);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        await socket.SendAsync(Encoding.UTF8.GetBytes("late"), Cancellation);

        await sending.WaitAsync(Patience, Cancellation);
        var close = await BrowserReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
    }

    [Fact]
    public async Task A_browser_that_vanishes_ends_the_receive_loop_with_connection_lost()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var receiving = ReceiveAsync(socket);

        _pair.Browser.Abort();
        await receiving.WaitAsync(Patience, Cancellation);

        Assert.Equal((WebSocketCloseStatus.EndpointUnavailable, "Connection lost."), socket.Closed);
    }

    [Fact]
    public async Task Text_that_is_not_utf8_never_reaches_the_bridge_and_closes_the_socket_with_1007()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        var receiving = ReceiveAsync(socket);

        await _pair.Browser.SendAsync(new byte[] { (byte)'{', 0xFF, (byte)'}' }, WebSocketMessageType.Text, true, Cancellation);
        var close = await BrowserReceiveAsync();
        await _pair.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", Cancellation).WaitAsync(Patience, Cancellation);
        await receiving.WaitAsync(Patience, Cancellation);

        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, _pair.Browser.CloseStatus);
        Assert.Empty(_received);
        Assert.NotNull(socket.Closed);
    }

    [Fact]
    public async Task Cancelling_the_receive_loop_ends_it_quietly()
    {
        var socket = new BrowserSocket(_pair.Gateway, 4096);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        var receiving = socket.ReceiveAsync((_, _) => ValueTask.CompletedTask, stop.Token);

        await stop.CancelAsync();

        await receiving.WaitAsync(Patience, Cancellation);
    }

    private Task ReceiveAsync(BrowserSocket socket)
        => socket.ReceiveAsync((message, isText) =>
        {
            _received.Enqueue((Encoding.UTF8.GetString(message.Span), isText));
            return ValueTask.CompletedTask;
        }, Cancellation);

    private async Task SendFramesAsync(WebSocketMessageType type, params string[] frames)
    {
        for (var index = 0; index < frames.Length; index++)
        {
            await _pair.Browser.SendAsync(Encoding.UTF8.GetBytes(frames[index]), type, endOfMessage: index == frames.Length - 1, Cancellation)
                .WaitAsync(Patience, Cancellation);
        }
    }

    private async Task<ValueWebSocketReceiveResult> BrowserReceiveAsync()
    {
        var buffer = new byte[1024];
        return await _pair.Browser.ReceiveAsync(buffer.AsMemory(), Cancellation).AsTask().WaitAsync(Patience, Cancellation);
    }

    private async Task CloseFromBrowserAsync(Task receiving)
    {
        await _pair.Browser.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Cancellation).WaitAsync(Patience, Cancellation);
        await receiving.WaitAsync(Patience, Cancellation);
    }

    private static string Payload(int size)
    {
        var text = new StringBuilder(size);
        for (var index = 0; text.Length < size; index++)
        {
            text.Append((char)('a' + (index % 26)));
        }

        return text.ToString();
    }
}
