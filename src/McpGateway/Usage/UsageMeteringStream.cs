namespace McpGateway.Usage;

/// <summary>
/// Stands in for the response body of a proxied chat call: every write goes straight through (and
/// every flush, so streamed answers reach the browser as they are produced), and a copy feeds the
/// <see cref="UsageScanner"/>.
/// </summary>
internal sealed class UsageMeteringStream(Stream inner, Func<string?> contentType) : Stream
{
    private UsageScanner? _scanner;

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
        Scanner.Append(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Scanner.Append(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Chosen at the first write, when the upstream's content type is known.</summary>
    private UsageScanner Scanner => _scanner ??= new UsageScanner(contentType()?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);
}
