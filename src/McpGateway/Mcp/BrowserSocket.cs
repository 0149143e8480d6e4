using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace McpGateway.Mcp;

/// <summary>
/// The browser's WebSocket as a message pipe: whole text messages in (bounded by
/// <see cref="McpOptions.MaxFrameBytes"/>, read into buffers rented only while a message arrives), messages out through one writer
/// (a WebSocket allows one send at a time), and an orderly close with a code and a reason.
/// </summary>
internal sealed class BrowserSocket(WebSocket socket, int maxMessageBytes)
{
    private const int InitialBufferBytes = 4096;

    private readonly Channel<byte[]> _outgoing = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private int _closing;

    /// <summary>Set when the gateway closed the socket (or the browser did), with the reason.</summary>
    public (WebSocketCloseStatus Status, string Reason)? Closed { get; private set; }

    /// <summary>
    /// Reads messages until the socket closes. Each whole message is passed to
    /// <paramref name="onMessage"/> (whose buffer is reused afterwards) with whether it was text.
    /// Between messages the socket waits with a zero-byte read: an idle socket holds no receive buffer,
    /// one is rented from the pool only while a message arrives.
    /// </summary>
    public async Task ReceiveAsync(Func<ReadOnlyMemory<byte>, bool, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        byte[]? buffer = null;
        try
        {
            // After the gateway sent its close frame (CloseSent), keep reading until the browser's
            // close frame comes back: aborting instead would lose the close code and reason on the way.
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var received = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
                buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
                var length = 0;
                while (received.MessageType != WebSocketMessageType.Close && !received.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        if (length > maxMessageBytes)
                        {
                            await CloseAsync(McpCloseCodes.TooBig, $"Message larger than {maxMessageBytes} bytes.");
                            return;
                        }

                        buffer = Grow(buffer, length);
                    }

                    received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                    length += received.Count;
                    if (length > maxMessageBytes)
                    {
                        await CloseAsync(McpCloseCodes.TooBig, $"Message larger than {maxMessageBytes} bytes.");
                        return;
                    }
                }

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    Closed ??= (socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription ?? "");
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "Closed by the client.");
                    return;
                }

                // Closing: what the browser still sends is not acted upon.
                if (Volatile.Read(ref _closing) == 0)
                {
                    await onMessage(buffer.AsMemory(0, length), received.MessageType == WebSocketMessageType.Text);
                }

                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
            }
        }
        catch (WebSocketException) when (socket.State is not (WebSocketState.Open or WebSocketState.CloseSent))
        {
            // The browser went away (or sent invalid UTF-8, which the WebSocket closes with 1007).
            Closed ??= (socket.CloseStatus ?? WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatusDescription ?? "Connection lost.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not closed by either side (that would have set Closed first): the connection was aborted under the socket.
            Closed ??= (WebSocketCloseStatus.EndpointUnavailable, "Connection lost.");
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _outgoing.Writer.TryComplete();
        }
    }

    /// <summary>Queues a message; messages are sent in order by <see cref="SendLoopAsync"/>.</summary>
    public ValueTask SendAsync(byte[] message, CancellationToken cancellationToken)
        => Volatile.Read(ref _closing) == 0 && _outgoing.Writer.TryWrite(message)
            ? ValueTask.CompletedTask
            : WaitToSendAsync(message, cancellationToken);

    public async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken))
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket is closing; what was not sent is no longer wanted.
        }
    }

    /// <summary>Closes once: sends the close frame with the reason; later calls do nothing.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        Closed ??= (status, reason);
        _outgoing.Writer.TryComplete();
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(status, FitCloseReason(reason), timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or ArgumentException)
            {
                socket.Abort();
            }
        }
    }

    private async ValueTask WaitToSendAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _closing) != 0)
        {
            return;
        }

        try
        {
            await _outgoing.Writer.WriteAsync(message, cancellationToken);
        }
        catch (ChannelClosedException)
        {
        }
    }

    /// <summary>RFC 6455 allows 123 bytes of UTF-8 for a close reason: cut on a character boundary.</summary>
    internal static string FitCloseReason(string reason)
    {
        const int MaxBytes = 123;
        if (System.Text.Encoding.UTF8.GetByteCount(reason) <= MaxBytes)
        {
            return reason;
        }

        var length = reason.Length;
        while (length > 0 && System.Text.Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxBytes)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(reason[length - 1]))
        {
            length--;
        }

        return reason[..length];
    }

    private byte[] Grow(byte[] buffer, int length)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(buffer.Length * 2, InitialBufferBytes), maxMessageBytes + 1));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
