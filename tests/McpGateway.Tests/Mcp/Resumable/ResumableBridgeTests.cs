using System.Net.WebSockets;
using McpGateway.Mcp;
using McpGateway.Mcp.Resumable;
using McpGateway.Tests.Infrastructure;
using McpGateway.Tests.Mcp.Upstream;

namespace McpGateway.Tests.Mcp.Resumable;

/// <summary>An <see cref="McpBridge"/> with a resumable session: the handle in the initialize answer, and what happens to the upstream session when the socket ends.</summary>
public sealed class ResumableBridgeTests
{
    private const string InitializeFrame = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static async Task<(BridgeHarness Harness, SocketResumption Resumption, FakeUpstreamSession Upstream, string Handle, BridgeUser User)> InitializedAsync()
    {
        var harness = new BridgeHarness();
        var resumption = new SocketResumption(new SignalingBindings(harness.Time), new InMemoryInFlightCalls(harness.Time), Microsoft.Extensions.Options.Options.Create(harness.Options), harness.Time);
        BridgeUser? user = null;
        var upstream = harness.Start(FakeUpstreamSession.Answering(), resumable: owner =>
        {
            user = owner;
            return resumption.Open("s1", owner, new ResumeLookup(ResumeOutcome.None, null, null), new CapturingLogger<ResumableBridgeTests>());
        });
        var answer = await harness.AskAsync(InitializeFrame);
        var handle = (string)answer["result"]!["_meta"]![SocketResumption.HandleMeta]!;
        return (harness, resumption, upstream, handle, user!);
    }

    [Fact]
    public async Task A_lost_connection_leaves_the_upstream_session_open_and_the_handle_resumable()
    {
        var (harness, resumption, upstream, handle, user) = await InitializedAsync();
        await using var _ = harness;

        harness.Browser.Abort();
        await harness.Running.WaitAsync(BridgeHarness.Patience, Cancellation);

        Assert.True(upstream.Detached, "the upstream session was detached, not ended");
        Assert.Equal(ResumeOutcome.Resumed, (await resumption.FindAsync(handle, user, new CapturingLogger<ResumableBridgeTests>(), Cancellation)).Outcome);
    }

    [Fact]
    public async Task A_normal_close_by_the_browser_ends_the_upstream_session_and_forgets_the_handle()
    {
        var (harness, resumption, upstream, handle, user) = await InitializedAsync();
        await using var _ = harness;

        await harness.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", Cancellation);
        await harness.Running.WaitAsync(BridgeHarness.Patience, Cancellation);

        Assert.True(upstream.Disposed);
        Assert.False(upstream.Detached, "the upstream session was ended (DELETE)");
        Assert.Equal(ResumeOutcome.Unknown, (await resumption.FindAsync(handle, user, new CapturingLogger<ResumableBridgeTests>(), Cancellation)).Outcome);
    }
}
