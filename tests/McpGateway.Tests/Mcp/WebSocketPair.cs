using System.IO.Pipelines;
using System.Net.WebSockets;

namespace McpGateway.Tests.Mcp;

/// <summary>
/// Two real WebSockets (the framework's managed implementation) talking over in-memory pipes: the
/// gateway's end and the browser's, without Kestrel or a network.
/// </summary>
internal sealed class WebSocketPair : IDisposable
{
    public WebSocketPair()
    {
        var toGateway = new Pipe();
        var toBrowser = new Pipe();
        Gateway = WebSocket.CreateFromStream(new DuplexPipeStream(toGateway.Reader, toBrowser.Writer),
            new WebSocketCreationOptions { IsServer = true, SubProtocol = "mcp", KeepAliveInterval = TimeSpan.Zero });
        Browser = WebSocket.CreateFromStream(new DuplexPipeStream(toBrowser.Reader, toGateway.Writer),
            new WebSocketCreationOptions { IsServer = false, SubProtocol = "mcp", KeepAliveInterval = TimeSpan.Zero });
    }

    public WebSocket Gateway { get; }

    public WebSocket Browser { get; }

    public void Dispose()
    {
        Gateway.Dispose();
        Browser.Dispose();
    }

    /// <summary>One side of the connection: reads from one pipe, writes to the other.</summary>
    private sealed class DuplexPipeStream(PipeReader reader, PipeWriter writer) : Stream
    {
        private readonly Stream _input = reader.AsStream();
        private readonly Stream _output = writer.AsStream();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _output.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                _output.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
