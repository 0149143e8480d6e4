using System.Net.WebSockets;
using McpGateway.Mcp.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.StreamableHttp;

public sealed class HttpBrowserTransportTests
{
    private static readonly JsonRpcNotification Progress = new() { Method = "notifications/progress" };

    [Fact]
    public async Task A_response_goes_to_the_post_of_its_request_and_is_dropped_once_that_post_is_gone()
    {
        var transport = new HttpBrowserTransport();
        var first = transport.Expect(new RequestId(1), asEventStream: true)!;
        var second = transport.Expect(new RequestId(2), asEventStream: true)!;
        transport.Forget(new RequestId(2), second);

        await transport.SendAsync(new JsonRpcResponse { Id = new RequestId(1), Result = null }, default);
        await transport.SendAsync(new JsonRpcResponse { Id = new RequestId(2), Result = null }, default);

        Assert.Equal(new RequestId(1), Assert.IsType<JsonRpcResponse>(await first.Reader.ReadAsync()).Id);
        Assert.True(first.Reader.Completion.IsCompleted);
        Assert.False(second.Reader.TryRead(out _));
        Assert.False(transport.OpenStandalone()!.Reader.TryRead(out _), "a response never goes to the standalone stream");
    }

    [Fact]
    public void A_request_id_already_in_flight_is_refused()
    {
        var transport = new HttpBrowserTransport();
        Assert.NotNull(transport.Expect(new RequestId("a"), asEventStream: false));
        Assert.Null(transport.Expect(new RequestId("a"), asEventStream: true));
    }

    [Fact]
    public async Task Server_messages_go_to_the_newest_event_stream_post_else_the_standalone_stream_else_wait_for_it()
    {
        var transport = new HttpBrowserTransport();
        var json = transport.Expect(new RequestId(1), asEventStream: false)!;
        var older = transport.Expect(new RequestId(2), asEventStream: true)!;
        var newer = transport.Expect(new RequestId(3), asEventStream: true)!;

        await transport.SendAsync(Progress, default);
        Assert.Same(Progress, await newer.Reader.ReadAsync());
        Assert.False(older.Reader.TryRead(out _));
        Assert.False(json.Reader.TryRead(out _));

        transport.Forget(new RequestId(2), older);
        transport.Forget(new RequestId(3), newer);
        await transport.SendAsync(Progress, default);
        var standalone = transport.OpenStandalone()!;
        Assert.Same(Progress, await standalone.Reader.ReadAsync());
        Assert.Null(transport.OpenStandalone());

        await transport.SendAsync(Progress, default);
        Assert.Same(Progress, await standalone.Reader.ReadAsync());
    }

    [Fact]
    public async Task Closing_ends_every_open_stream_and_refuses_new_messages()
    {
        var transport = new HttpBrowserTransport();
        var waiting = transport.Expect(new RequestId(1), asEventStream: true)!;
        var standalone = transport.OpenStandalone()!;

        await transport.CloseAsync(WebSocketCloseStatus.NormalClosure, "Ended by the client (DELETE).");

        await waiting.Reader.Completion;
        await standalone.Reader.Completion;
        Assert.False(transport.TryAccept(Progress));
        Assert.Equal("Ended by the client (DELETE).", transport.Closed?.Reason);
    }
}
