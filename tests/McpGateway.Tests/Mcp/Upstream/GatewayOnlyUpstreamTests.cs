using System.Text.Json.Nodes;
using McpGateway.Mcp.Upstream;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class GatewayOnlyUpstreamTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initialize_is_answered_with_the_tools_capability_and_the_gateway_as_server()
    {
        await using var upstream = new GatewayOnlyUpstream();

        var answer = await Ask(upstream, "initialize", new RequestId(1));

        Frames.SameJson("""{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"mcp-gateway","version":"1.0"}}""",
            Assert.IsType<JsonRpcResponse>(answer).Result);
        Assert.Equal(new RequestId(1), ((JsonRpcMessageWithId)answer).Id);
    }

    [Theory]
    [InlineData("tools/list", """{"tools":[]}""")]
    [InlineData("ping", "{}")]
    public async Task Tools_list_and_ping_are_answered(string method, string result)
    {
        await using var upstream = new GatewayOnlyUpstream();

        var answer = Assert.IsType<JsonRpcResponse>(await Ask(upstream, method, new RequestId("x")));

        Assert.Equal(new RequestId("x"), answer.Id);
        Frames.SameJson(result, answer.Result);
    }

    [Theory]
    [InlineData("resources/list")]
    [InlineData("tools/call")]
    [InlineData("prompts/get")]
    public async Task Anything_else_is_method_not_found_saying_there_is_no_upstream(string method)
    {
        await using var upstream = new GatewayOnlyUpstream();

        var error = Assert.IsType<JsonRpcError>(await Ask(upstream, method, new RequestId(2)));

        Assert.Equal((int)McpErrorCode.MethodNotFound, error.Error.Code);
        Assert.Equal($"Method '{method}' is not available: the gateway has no MCP upstream configured.", error.Error.Message);
    }

    [Fact]
    public async Task Notifications_and_answers_get_nothing_back_and_disposing_ends_the_stream()
    {
        var upstream = new GatewayOnlyUpstream();
        await upstream.SendAsync(new JsonRpcNotification { Method = "notifications/initialized" }, Cancellation);
        await upstream.SendAsync(new JsonRpcResponse { Id = new RequestId(1), Result = new JsonObject() }, Cancellation);

        await upstream.DisposeAsync();

        Assert.False(await upstream.Messages.WaitToReadAsync(Cancellation));
    }

    private static async Task<JsonRpcMessage> Ask(GatewayOnlyUpstream upstream, string method, RequestId id)
    {
        await upstream.SendAsync(new JsonRpcRequest { Id = id, Method = method }, Cancellation);
        return await upstream.Messages.ReadAsync(Cancellation);
    }
}
