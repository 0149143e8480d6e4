using System.Buffers;
using System.Text;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Reads a <c>text/event-stream</c> body (the WHATWG HTML "server-sent events" format: <c>event</c>, <c>data</c>,
/// <c>id</c> and <c>retry</c> fields, comments, CRLF, LF or CR line ends, an optional UTF-8 BOM) for a stream that is
/// mostly silent, such as a session's standalone GET stream. Between events it waits with a zero-byte read, so that an
/// idle stream holds no buffer of its own: one is rented from the pool when bytes arrive, and returned as soon as what
/// arrived was a whole number of events.
/// </summary>
internal sealed class EventStreamReader(Stream body)
{
    /// <summary>The event type of events without an <c>event</c> field.</summary>
    public const string DefaultEventType = "message";

    private const int ReadBufferBytes = 1024;
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private byte[]? _buffer;
    private int _start;
    private int _end;
    private byte[]? _data;
    private int _dataLength;
    private bool _hasData;
    private string? _eventType;
    private bool _skipLineFeed;
    private bool _atStreamStart = true;

    /// <summary>The stream's last event id so far (an <c>id</c> field sets it, for the events after it too).</summary>
    public string? LastEventId { get; private set; }

    /// <summary>The reconnection time the server asked for with a <c>retry</c> field, if any.</summary>
    public TimeSpan? ReconnectionInterval { get; private set; }

    /// <summary>
    /// Reads until the body ends, passing each event to <paramref name="onEvent"/> with its type and its data as UTF-8
    /// (valid only during the call; <see cref="LastEventId"/> is already that of the event). An event with no
    /// <c>data</c> field is not passed on, as the format says; its <c>id</c> still counts.
    /// </summary>
    public async Task ReadAsync(Func<string, ReadOnlyMemory<byte>, ValueTask> onEvent, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (_start == _end)
                {
                    // Nothing unparsed is kept: wait for bytes without a buffer.
                    ReturnBuffers(all: false);
                    // A zero-byte read completes when data is there (or the stream ended); it returns 0 either way.
                    _ = await body.ReadAsync(Memory<byte>.Empty, cancellationToken);
                }

                _buffer ??= ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
                MakeRoom();
                var read = await body.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    // An event not ended by a blank line when the stream ends is discarded, as the format says.
                    return;
                }

                _end += read;
                await ParseLinesAsync(onEvent);
            }
        }
        finally
        {
            ReturnBuffers(all: true);
        }
    }

    private async ValueTask ParseLinesAsync(Func<string, ReadOnlyMemory<byte>, ValueTask> onEvent)
    {
        var buffer = _buffer!;
        while (_start < _end)
        {
            if (_skipLineFeed)
            {
                // The CR that ended the last line may be half of a CRLF.
                _skipLineFeed = false;
                if (buffer[_start] == (byte)'\n')
                {
                    _start++;
                    continue;
                }
            }

            if (_atStreamStart)
            {
                if (_end - _start < Bom.Length && Bom.AsSpan().StartsWith(buffer.AsSpan(_start, _end - _start)))
                {
                    return;
                }

                _atStreamStart = false;
                if (buffer.AsSpan(_start, _end - _start).StartsWith(Bom))
                {
                    _start += Bom.Length;
                    continue;
                }
            }

            var unparsed = buffer.AsSpan(_start, _end - _start);
            var lineEnd = unparsed.IndexOfAny((byte)'\r', (byte)'\n');
            if (lineEnd < 0)
            {
                // A partial line: wait for the rest.
                return;
            }

            _skipLineFeed = unparsed[lineEnd] == (byte)'\r';
            var line = buffer.AsMemory(_start, lineEnd);
            _start += lineEnd + 1;
            if (line.IsEmpty)
            {
                await DispatchAsync(onEvent);
            }
            else
            {
                ProcessField(line.Span);
            }
        }
    }

    private void ProcessField(ReadOnlySpan<byte> line)
    {
        if (line[0] == (byte)':')
        {
            return;
        }

        var colon = line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (name.SequenceEqual("data"u8))
        {
            AppendData(value);
        }
        else if (name.SequenceEqual("event"u8))
        {
            _eventType = Encoding.UTF8.GetString(value);
        }
        else if (name.SequenceEqual("id"u8))
        {
            if (value.IndexOf((byte)0) < 0)
            {
                LastEventId = Encoding.UTF8.GetString(value);
            }
        }
        else if (name.SequenceEqual("retry"u8))
        {
            // Digits only; a value beyond int range (weeks) is ignored like any other invalid one.
            if (!value.IsEmpty && value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 && int.TryParse(value, out var milliseconds))
            {
                ReconnectionInterval = TimeSpan.FromMilliseconds(milliseconds);
            }
        }
    }

    /// <summary>Several <c>data</c> lines make one value, joined by line feeds.</summary>
    private void AppendData(ReadOnlySpan<byte> value)
    {
        var needed = _dataLength + (_hasData ? 1 : 0) + value.Length;
        if (_data is null || needed > _data.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, ReadBufferBytes));
            if (_data is not null)
            {
                _data.AsSpan(0, _dataLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_data);
            }

            _data = larger;
        }

        if (_hasData)
        {
            _data[_dataLength++] = (byte)'\n';
        }

        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _hasData = true;
    }

    private async ValueTask DispatchAsync(Func<string, ReadOnlyMemory<byte>, ValueTask> onEvent)
    {
        var type = _eventType ?? DefaultEventType;
        _eventType = null;
        if (!_hasData)
        {
            return;
        }

        _hasData = false;
        var length = _dataLength;
        _dataLength = 0;
        await onEvent(type, _data.AsMemory(0, length));
    }

    /// <summary>Moves a partial line to the front of the buffer, or gives the buffer more room when it is full of one line.</summary>
    private void MakeRoom()
    {
        var buffer = _buffer!;
        if (_start > 0)
        {
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            _buffer = larger;
        }
    }

    /// <summary>Returns the buffers that hold nothing still needed (<paramref name="all"/>: every one, the stream is done).</summary>
    private void ReturnBuffers(bool all)
    {
        if (_buffer is not null && (all || _start == _end))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _start = _end = 0;
        }

        if (_data is not null && (all || !_hasData))
        {
            ArrayPool<byte>.Shared.Return(_data);
            _data = null;
        }
    }
}
