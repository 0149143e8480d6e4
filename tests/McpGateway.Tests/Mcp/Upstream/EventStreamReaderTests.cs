using System.Text;
using McpGateway.Mcp.Upstream;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class EventStreamReaderTests
{
    [Fact]
    public async Task An_event_larger_than_the_read_buffer_and_split_across_many_reads_arrives_whole()
    {
        var payload = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"data\":\"" + new string('x', 70_000) + "\"}}";
        var body = new ChunkStream(Chunks("id: big\ndata: " + payload + "\n\n", 700));

        var events = await ReadAllAsync(body);

        var (type, data, id) = Assert.Single(events);
        Assert.Equal("message", type);
        Assert.Equal(payload, data);
        Assert.Equal("big", id);
    }

    [Fact]
    public async Task Between_events_the_reader_waits_with_a_zero_byte_read_and_holds_no_buffer()
    {
        var body = new ChunkStream(["data: one\n\n", "data: tw", "o\n\n"]);

        var events = await ReadAllAsync(body);

        Assert.Equal(new[] { "one", "two" }, events.Select(e => e.Data));
        // Each wait after a whole event is a zero-byte read; the partial line in between is read on with a buffer.
        Assert.Equal(new[] { 0, 1024, 0, 1024, 1016, 0, 1024 }, body.ReadLengths);
    }

    [Fact]
    public async Task Line_ends_comments_fields_and_the_byte_order_mark_follow_the_format()
    {
        var text = "\uFEFF: a comment\r\nevent: update\r\ndata: first\r\ndata\r\ndata:  two spaces\r\nretry: 2500\r\nid: 7\r\n\r\n"
            + "id: 8\n\n"
            + "data: cr only\r\rdata: after\nunknown: field\n\n"
            + "data: cut off at the end";
        // The CR of each CRLF lands at the end of one read and its LF at the start of the next.
        var body = new ChunkStream(Chunks(text, 3));
        var reader = new EventStreamReader(body);
        var events = new List<(string Type, string Data, string? Id)>();

        await reader.ReadAsync((type, data) =>
        {
            events.Add((type, Encoding.UTF8.GetString(data.Span), reader.LastEventId));
            return ValueTask.CompletedTask;
        }, TestContext.Current.CancellationToken);

        Assert.Equal(
            new (string, string, string?)[] { ("update", "first\n\n two spaces", "7"), ("message", "cr only", "8"), ("message", "after", "8") },
            events);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), reader.ReconnectionInterval);
        Assert.Equal("8", reader.LastEventId);
    }

    [Fact]
    public async Task An_empty_data_field_is_an_event_with_empty_data_and_an_id_alone_only_moves_the_last_event_id()
    {
        var body = new ChunkStream(["id: p0\ndata:\n\nid: p1\n\n"]);
        var reader = new EventStreamReader(body);
        var events = new List<(string Data, string? Id)>();

        await reader.ReadAsync((_, data) =>
        {
            events.Add((Encoding.UTF8.GetString(data.Span), reader.LastEventId));
            return ValueTask.CompletedTask;
        }, TestContext.Current.CancellationToken);

        Assert.Equal(new (string, string?)[] { ("", "p0") }, events);
        Assert.Equal("p1", reader.LastEventId);
    }

    private static async Task<List<(string Type, string Data, string? Id)>> ReadAllAsync(Stream body)
    {
        var reader = new EventStreamReader(body);
        var events = new List<(string, string, string?)>();
        await reader.ReadAsync((type, data) =>
        {
            events.Add((type, Encoding.UTF8.GetString(data.Span), reader.LastEventId));
            return ValueTask.CompletedTask;
        }, TestContext.Current.CancellationToken);
        return events;
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var start = 0; start < text.Length; start += size)
        {
            yield return text.Substring(start, Math.Min(size, text.Length - start));
        }
    }

    /// <summary>A body that hands out one chunk per read (less when the buffer is smaller), and records each read's buffer length.</summary>
    private sealed class ChunkStream(IEnumerable<string> chunks) : Stream
    {
        private readonly Queue<byte[]> _chunks = new(chunks.Select(Encoding.UTF8.GetBytes));
        private byte[] _current = [];
        private int _offset;

        public List<int> ReadLengths { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadLengths.Add(buffer.Length);
            if (buffer.IsEmpty)
            {
                return ValueTask.FromResult(0);
            }

            if (_offset == _current.Length)
            {
                if (!_chunks.TryDequeue(out var next))
                {
                    return ValueTask.FromResult(0);
                }

                _current = next;
                _offset = 0;
            }

            var count = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsSpan(_offset, count).CopyTo(buffer.Span);
            _offset += count;
            return ValueTask.FromResult(count);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
