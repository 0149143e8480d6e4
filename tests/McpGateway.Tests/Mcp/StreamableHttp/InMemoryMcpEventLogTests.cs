using System.Text;
using McpGateway.Mcp.StreamableHttp.Resumption;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Mcp.StreamableHttp;

public sealed class InMemoryMcpEventLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryMcpEventLog _log;

    public InMemoryMcpEventLogTests() => _log = new InMemoryMcpEventLog(_time);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stream_reads_back_after_a_sequence_in_order_and_says_when_it_ended()
    {
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            _log.Append("session", "r1", sequence, Encoding.UTF8.GetBytes($"message {sequence}"));
        }

        var open = await _log.ReadAfterAsync("session", "r1", 1, Cancellation);
        Assert.Equal(["message 2", "message 3"], open.Events.Select(logged => Encoding.UTF8.GetString(logged.Message)));
        Assert.Equal([2L, 3L], open.Events.Select(logged => logged.Sequence));
        Assert.False(open.Ended);

        _log.End("session", "r1");
        var ended = await _log.ReadAfterAsync("session", "r1", 3, Cancellation);
        Assert.Empty(ended.Events);
        Assert.True(ended.Ended);
        Assert.True(ended.Exists);
    }

    [Fact]
    public async Task Streams_are_apart_by_session_and_expire_after_their_last_event()
    {
        _log.Append("session", "r1", 1, "one"u8.ToArray());

        Assert.False((await _log.ReadAfterAsync("another session", "r1", 0, Cancellation)).Exists);
        _time.Advance(IMcpEventLog.RetainFor - TimeSpan.FromSeconds(1));
        Assert.True((await _log.ReadAfterAsync("session", "r1", 0, Cancellation)).Exists);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False((await _log.ReadAfterAsync("session", "r1", 0, Cancellation)).Exists);
    }

    [Fact]
    public async Task A_stream_keeps_its_newest_events_up_to_the_cap()
    {
        for (var sequence = 1; sequence <= IMcpEventLog.MaxEventsPerStream + 10; sequence++)
        {
            _log.Append("session", "s1", sequence, "x"u8.ToArray());
        }

        var page = await _log.ReadAfterAsync("session", "s1", 0, Cancellation);
        Assert.Equal(IMcpEventLog.MaxEventsPerStream, page.Events.Count);
        Assert.Equal(11, page.Events[0].Sequence);
    }
}
