using McpGateway.Mcp;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Upstream;

/// <summary>How a link leaves its upstream session: ended (DELETE) or detached for a browser that resumes it.</summary>
public sealed class UpstreamLinkDetachTests
{
    private static JsonRpcRequest Initialize() => new() { Id = new RequestId("resumed-initialize"), Method = GatewayMethods.Initialize, Params = System.Text.Json.Nodes.JsonNode.Parse("{}") };

    [Fact]
    public async Task Detaching_leaves_the_connected_session_open_and_disposing_ends_it()
    {
        await using var detached = new LinkHarness();
        var kept = await detached.ConnectedAsync();
        await using var disposed = new LinkHarness();
        var ended = await disposed.ConnectedAsync();

        await detached.Link.DetachAsync();
        await disposed.Link.DisposeAsync();

        Assert.True(kept.Detached);
        Assert.True(ended.Disposed);
        Assert.False(ended.Detached);
    }

    [Fact]
    public async Task A_resumed_session_never_used_here_is_joined_only_to_be_ended_when_the_link_ends_for_good()
    {
        await using var harness = new LinkHarness();
        var joined = harness.Factory.Prepare();
        harness.Link.Resume("up-9", Initialize());

        await harness.Link.DisposeAsync();

        Assert.True(joined.Disposed);
        Assert.False(joined.Detached);
        Assert.Empty(joined.Sent);
        Assert.Single(harness.Factory.Opened);
    }

    [Fact]
    public async Task A_resumed_session_never_used_here_is_not_touched_when_the_link_detaches()
    {
        await using var harness = new LinkHarness();
        var untouched = harness.Factory.Prepare();
        harness.Link.Resume("up-9", Initialize());

        await harness.Link.DetachAsync();

        Assert.False(untouched.Disposed);
        Assert.Empty(harness.Factory.Opened);
    }
}
