namespace McpGateway.Usage;

/// <summary>
/// Stands in for the response body of a proxied chat call: every write goes straight through (and
/// every flush, so streamed answers reach the browser as they are produced), and a copy feeds the
/// <see cref="UsageScanner"/> when the answer can carry usage: a success (2xx) whose content type is
/// JSON or a server-sent-event stream. Anything else (an error page, a file) passes untouched.
/// </summary>
internal sealed class UsageMeteringStream(Stream inner, HttpResponse response) : Stream
{
    private UsageScanner? _scanner;
    private bool _decided;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The usage the answer reported, once it has been written entirely.</summary>
    public ChatUsage? Complete() => _scanner?.Complete();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Scanner?.Append(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Scanner?.Append(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Gives back the scanner's pooled buffer; the stream itself never owned <c>inner</c>.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scanner?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Chosen at the first write, when the upstream's status and content type are known.</summary>
    private UsageScanner? Scanner
    {
        get
        {
            if (!_decided)
            {
                _decided = true;
                var format = response.StatusCode is >= 200 and < 300 ? UsageScanner.FormatOf(response.ContentType) : UsageFormat.None;
                _scanner = format == UsageFormat.None ? null : new UsageScanner(format == UsageFormat.EventStream);
            }

            return _scanner;
        }
    }
}
