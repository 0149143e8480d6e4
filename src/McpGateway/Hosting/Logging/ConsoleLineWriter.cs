using System.Runtime.CompilerServices;
using System.Text;

namespace McpGateway.Hosting.Logging;

/// <summary>
/// Where the console logger's lines go: the threads that log encode each line to UTF-8 into a shared buffer, and one
/// background thread writes whatever has gathered since its last write in a single call. Under load that is one write
/// for many lines, where the framework's console logger makes a string and a write of each; when idle, a line goes out
/// at once. A full buffer makes the logging thread wait for the write, or drops the line and says so in the next write.
/// </summary>
internal sealed class ConsoleLineWriter : IDisposable
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly Stream _output;
    private readonly int _capacityBytes;
    private readonly bool _dropWhenFull;
    private readonly object _gate = new();
    private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
    private readonly Thread _writer;
    private byte[] _pending = new byte[InitialBufferBytes];
    private byte[] _spare = new byte[InitialBufferBytes];
    private int _pendingLength;
    private long _dropped;
    private long _reportedDropped;
    private bool _stopping;
    private bool _writerDone;

    /// <param name="output">The stream written to (standard output or error); never closed here.</param>
    /// <param name="capacityBytes">How many bytes may wait for the writer before a line waits or is dropped.</param>
    /// <param name="dropWhenFull">Drop a line that finds the buffer full instead of waiting for the writer.</param>
    public ConsoleLineWriter(Stream output, int capacityBytes, bool dropWhenFull)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _output = output;
        _capacityBytes = capacityBytes;
        _dropWhenFull = dropWhenFull;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Console log writer" };
        _writer.Start();
    }

    /// <summary>Lines dropped because the buffer was full (only when dropping is on).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues the text (whole lines, ending in a newline) for the writer; the builder may be reused on return.</summary>
    public void Write(StringBuilder text)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        lock (_gate)
        {
            while (_pendingLength > 0 && _pendingLength + maxBytes > _capacityBytes && !_writerDone)
            {
                if (_dropWhenFull)
                {
                    _dropped++;
                    return;
                }

                Monitor.Wait(_gate);
            }

            var wasEmpty = _pendingLength == 0;
            Append(text, maxBytes);
            if (_writerDone)
            {
                // Logged after the writer stopped (late in shutdown): written here, in order, before returning.
                WriteOut(_pending, _pendingLength);
                _pendingLength = 0;
            }
            else if (wasEmpty)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Writes what is queued and stops the writer; a line logged later is written by the thread that logs it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _writer.Join(TimeSpan.FromSeconds(2));
    }

    private void Append(StringBuilder text, int maxBytes)
    {
        if (_pendingLength + maxBytes > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + maxBytes));
        }

        // One encoder across the builder's chunks: a surrogate pair split between two chunks stays one character.
        foreach (var chunk in text.GetChunks())
        {
            _encoder.Convert(chunk.Span, _pending.AsSpan(_pendingLength), flush: false, out _, out var written, out _);
            _pendingLength += written;
        }

        _encoder.Convert(ReadOnlySpan<char>.Empty, _pending.AsSpan(_pendingLength), flush: true, out _, out var last, out _);
        _pendingLength += last;
    }

    // Entered once and looping for the process's life: compiled optimized at once, where tiering would leave it unoptimized.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteLoop()
    {
        while (true)
        {
            byte[] batch;
            int length;
            long dropped;
            lock (_gate)
            {
                while (_pendingLength == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_pendingLength == 0)
                {
                    _writerDone = true;
                    Monitor.PulseAll(_gate);
                    return;
                }

                batch = _pending;
                length = _pendingLength;
                dropped = _dropped;
                _pending = _spare;
                _pendingLength = 0;
                Monitor.PulseAll(_gate);
            }

            WriteOut(batch, length);
            if (dropped > 0)
            {
                ReportDropped(dropped);
            }

            lock (_gate)
            {
                _spare = batch;
            }
        }
    }

    private void ReportDropped(long dropped)
    {
        if (dropped == _reportedDropped)
        {
            return;
        }

        var note = Encoding.UTF8.GetBytes(
            $"{dropped - _reportedDropped} log line(s) dropped: the console could not keep up. Raise Logging:Console:MaxQueueLength, log less, or set Logging:Console:QueueFullMode to Wait.{Environment.NewLine}");
        _reportedDropped = dropped;
        WriteOut(note, note.Length);
    }

    private void WriteOut(byte[] buffer, int length)
    {
        try
        {
            _output.Write(buffer, 0, length);
            _output.Flush();
        }
        catch (IOException)
        {
            // The console is gone (its reader closed): there is nowhere left to say so.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
