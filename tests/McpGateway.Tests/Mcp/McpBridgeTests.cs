using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using McpGateway.Mcp.Dialects;
using McpGateway.Tests.Mcp.Upstream;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

/// <summary>What a browser sees through the bridge (a real WebSocket pair, the gateway's own handler, a fake upstream): bad input, relaying, both dialects.</summary>
public sealed class McpBridgeTests : IAsyncDisposable
{
    private readonly BridgeHarness _bridge = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _bridge.DisposeAsync();

    [Fact]
    public async Task A_frame_that_is_not_json_gets_a_parse_error_and_the_socket_stays_open()
    {
        _bridge.Start(FakeUpstreamSession.Answering(("ping", "{}")));

        var error = await _bridge.AskAsync("this is not json");
        var pong = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""");

        Frames.SameJson("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: the frame is not valid JSON."}}""", error);
        Frames.SameJson("""{"jsonrpc":"2.0","id":1,"result":{}}""", pong);
    }

    [Fact]
    public async Task An_invalid_request_gets_an_error_with_its_id_and_the_socket_stays_open()
    {
        _bridge.Start(FakeUpstreamSession.Answering(("ping", "{}")));

        var batch = await _bridge.AskAsync("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""");
        var wrongVersion = await _bridge.AskAsync("""{"jsonrpc":"1.0","id":"v","method":"ping"}""");
        var pong = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":2,"method":"ping"}""");

        Assert.Equal(-32600, (int?)batch["error"]?["code"]);
        Assert.Equal((-32600, "v"), ((int?)wrongVersion["error"]?["code"], (string?)wrongVersion["id"]));
        Assert.Equal(2, (int?)pong["id"]);
    }

    [Fact]
    public async Task A_binary_frame_gets_an_invalid_request_and_the_socket_stays_open()
    {
        _bridge.Start(FakeUpstreamSession.Answering(("ping", "{}")));

        await _bridge.Browser.SendAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""), WebSocketMessageType.Binary, true, Cancellation);
        var error = await _bridge.ReceiveAsync();

        Assert.Equal(-32600, (int?)error["error"]?["code"]);
        Assert.Contains("text frames", (string?)error["error"]?["message"], StringComparison.Ordinal);
        Assert.Equal(3, (int?)(await _bridge.AskAsync("""{"jsonrpc":"2.0","id":3,"method":"ping"}"""))["id"]);
    }

    [Fact]
    public async Task Tools_list_merges_the_gateway_tools_and_a_gateway_tool_runs_in_the_gateway()
    {
        var upstream = _bridge.Start(FakeUpstreamSession.Answering(("tools/list", """{"tools":[{"name":"echo","inputSchema":{"type":"object"}}]}""")));

        var listed = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":"l","method":"tools/list"}""");
        var called = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"calculator","arguments":{"expression":"6*7"}}}""");

        Assert.Equal(["calculator", "gateway_echo", "echo"], listed["result"]!["tools"]!.AsArray().Select(tool => (string?)tool?["name"]));
        Assert.Equal("42", (string?)called["result"]?["content"]?[0]?["text"]);
        Assert.DoesNotContain(upstream.Sent, message => message is JsonRpcRequest { Method: "tools/call" });
    }

    [Fact]
    public async Task The_envelope_dialect_does_the_same_work()
    {
        _bridge.Start(FakeUpstreamSession.Answering(), new SeedEnvelopeDialect());

        var called = await _bridge.AskAsync("""{"id":"t1","type":"request","method":"tool_call","params":{"tool_name":"calculator","parameters":{"expression":"2^10"}}}""");
        var who = await _bridge.AskAsync("""{"id":"a1","type":"request","method":"auth","params":{}}""");
        var bad = await _bridge.AskAsync("""{"id":"x","method":"tool_call"}""");

        Assert.Equal(("t1", "response", "1024"), ((string?)called["id"], (string?)called["type"], (string?)called["result"]?["content"]?[0]?["text"]));
        Frames.SameJson("""{"id":"a1","type":"response","result":{"authenticated":true,"sub":"alice","name":"Alice"}}""", who);
        Assert.Equal(("response", -32600), ((string?)bad["type"], (int?)bad["error"]?["code"]));
    }

    [Fact]
    public async Task An_upstream_call_of_a_gateway_tool_is_answered_upstream_and_reported_to_the_browser()
    {
        var upstream = _bridge.Start(FakeUpstreamSession.Answering(("ping", "{}")));
        await _bridge.AskAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""");

        upstream.Send(new JsonRpcRequest { Id = new RequestId(0), Method = "tools/call", Params = JsonNode.Parse("""{"name":"calculator","arguments":{"expression":"1+1"}}""") });
        var told = await _bridge.ReceiveAsync();
        JsonRpcResponse? answered = null;
        while (answered is null)
        {
            answered = await upstream.NextSentAsync() as JsonRpcResponse;
        }

        Assert.Equal(new RequestId(0), answered.Id);
        Assert.Equal("2", (string?)answered.Result?["content"]?[0]?["text"]);
        Assert.Equal("notifications/gateway/tool_executed", (string?)told["method"]);
        Assert.Equal(("calculator", false), ((string?)told["params"]?["name"], (bool?)told["params"]?["isError"]));
        Assert.Equal("2", (string?)told["params"]?["result"]?["content"]?[0]?["text"]);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"\uDE00"}""")]
    public async Task A_frame_the_codec_chokes_on_is_answered_and_the_socket_stays_open(string frame)
    {
        _bridge.Start(FakeUpstreamSession.Answering(("ping", "{}")));

        var error = await _bridge.AskAsync(frame);
        var pong = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":9,"method":"ping"}""");

        Assert.NotNull(error["error"]);
        Assert.Equal(9, (int?)pong["id"]);
    }

    [Fact]
    public async Task A_malformed_upstream_tools_list_is_answered()
    {
        _bridge.Start(FakeUpstreamSession.Answering(("tools/list", """{"tools":"none"}""")));

        var answer = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":"l","method":"tools/list"}""");

        Assert.Equal("l", (string?)answer["id"]);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"content":[],"isError":"false"}""")]
    [InlineData("""{"content":[],"isError":0}""")]
    public async Task An_upstream_result_of_an_unexpected_shape_is_still_relayed(string result)
    {
        _bridge.Start(FakeUpstreamSession.Answering(("tools/call", result)));

        var answer = await _bridge.AskAsync("""{"jsonrpc":"2.0","id":"u","method":"tools/call","params":{"name":"echo"}}""");

        Assert.Equal("u", (string?)answer["id"]);
        Frames.SameJson(result, answer["result"]);
    }
}
