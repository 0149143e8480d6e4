using System.Text;

namespace McpGateway.Tests.Hosting.Logging;

/// <summary>
/// A stream standing in for the console: it keeps what is written and counts the write calls; with <see cref="Hold"/>
/// the next write waits (signalling <see cref="Entered"/>) until <see cref="Release"/>, as a slow console would.
/// </summary>
internal sealed class CapturedStream : Stream
{
    private readonly Lock _gate = new();
    private readonly MemoryStream _written = new();
    private ManualResetEventSlim? _held;

    public ManualResetEventSlim Entered { get; } = new();

    public int Writes { get; private set; }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_written.ToArray());
            }
        }
    }

    public byte[] Bytes
    {
        get
        {
            lock (_gate)
            {
                return _written.ToArray();
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Hold() => _held = new ManualResetEventSlim();

    public void Release() => _held?.Set();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Entered.Set();
        _held?.Wait(TimeSpan.FromSeconds(30));
        lock (_gate)
        {
            Writes++;
            _written.Write(buffer, offset, count);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
