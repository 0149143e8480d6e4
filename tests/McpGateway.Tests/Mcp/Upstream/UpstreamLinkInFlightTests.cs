using McpGateway.Mcp;
using McpGateway.Mcp.Resumable;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;
using static McpGateway.Tests.Mcp.Upstream.LinkHarness;

namespace McpGateway.Tests.Mcp.Upstream;

/// <summary>
/// A recovered call that no link of the session relayed (recorded under a connector this gateway does not have, e.g.
/// its configuration changed between the replicas): the browser is told it may or may not have run, at once, the
/// upstream is not asked, and the record is dropped so that a later resume does not answer it twice.
/// </summary>
public sealed class UpstreamLinkInFlightTests : IAsyncDisposable
{
    private readonly LinkHarness _harness = new();
    private readonly InMemoryInFlightCalls _store = new(new FakeTimeProvider());
    private readonly InFlightJournal _journal;

    public UpstreamLinkInFlightTests()
    {
        _journal = new InFlightJournal(_store, "ws-key", TimeSpan.FromMinutes(5));
        _harness.Link.Journal = _journal;
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_call_of_another_connector_is_answered_as_lost_without_asking_the_upstream_and_is_forgotten()
    {
        _journal.For("gone").Track(7, new RequestId("browser-7")).Seen("event-3");
        var recorded = Assert.Single(await _journal.ListAsync(Cancellation));

        _harness.Link.Recover([recorded], TimeSpan.FromSeconds(30));

        var answer = Assert.IsType<JsonRpcError>(await _harness.NextToBrowserAsync());
        Assert.Equal(new RequestId("browser-7"), answer.Id);
        Assert.Equal(BridgeErrorCodes.UpstreamUnavailable, answer.Error.Code);
        Assert.Contains("may or may not have run", answer.Error.Message, StringComparison.Ordinal);
        Assert.Empty(_harness.Factory.Opened);
        Assert.Empty(await _journal.ListAsync(Cancellation));
    }
}
