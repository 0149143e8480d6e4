using Microsoft.Extensions.Logging.Abstractions;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Mcp;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

public sealed class ResultAugmenterTests
{
    private static readonly RequestId BrowserId = new("b-1");

    private readonly ResultAugmenter _augmenter = new(GatewayTools.CalculatorAndEcho(), NullLogger<ResultAugmenter>.Instance);

    [Fact]
    public void The_first_tools_list_page_lists_gateway_tools_first_then_the_upstream_tools()
    {
        var answer = Listed(_augmenter.Augment(ToolsList(), Response("""
            {"tools":[
              {"name":"echo","description":"upstream echo","inputSchema":{"type":"object","properties":{"message":{"type":"string"}}}},
              {"name":"get-sum","title":"Sum","inputSchema":{"type":"object"},"annotations":{"readOnlyHint":true}}
            ]}
            """)));

        Assert.Equal(["calculator", "gateway_echo", "echo", "get-sum"], answer.Tools.Select(tool => tool.Name));
        Assert.Equal("upstream echo", answer.Tools[2].Description);
        Assert.Equal("string", answer.Tools[2].InputSchema.GetProperty("properties").GetProperty("message").GetProperty("type").GetString());
        Assert.Equal("Sum", answer.Tools[3].Title);
        Assert.True(answer.Tools[3].Annotations?.ReadOnlyHint);
    }

    [Fact]
    public void An_upstream_tool_named_like_a_gateway_tool_is_left_out()
    {
        var answer = Listed(_augmenter.Augment(ToolsList(), Response("""
            {"tools":[
              {"name":"calculator","description":"the upstream's own calculator","inputSchema":{"type":"object"}},
              {"name":"echo","inputSchema":{"type":"object"}},
              {"name":"Calculator","inputSchema":{"type":"object"}}
            ]}
            """)));

        Assert.Equal(["calculator", "gateway_echo", "echo", "Calculator"], answer.Tools.Select(tool => tool.Name));
        Assert.Single(answer.Tools, tool => tool.Name == "calculator");
        Assert.NotEqual("the upstream's own calculator", answer.Tools[0].Description);
        Assert.Equal("Calculator", answer.Tools[0].Title);
    }

    [Fact]
    public void The_merged_page_keeps_the_answer_id_the_next_cursor_and_the_result_metadata()
    {
        var merged = Assert.IsType<JsonRpcResponse>(_augmenter.Augment(ToolsList(), Response("""
            {"tools":[{"name":"echo","inputSchema":{"type":"object"}}],"nextCursor":"page-2","_meta":{"trace":"t1"},
             "resultType":"complete","ttlMs":60000,"cacheScope":"private"}
            """)));

        Assert.Equal(BrowserId, merged.Id);
        var result = Assert.IsType<JsonObject>(merged.Result);
        Assert.Equal("page-2", (string?)result["nextCursor"]);
        Frames.SameJson("""{"trace":"t1"}""", result["_meta"]);
        Assert.Equal("complete", (string?)result["resultType"]);
        Assert.Equal(60000, (int?)result["ttlMs"]);
        Assert.Equal("private", (string?)result["cacheScope"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"tools":[]}""")]
    public void An_upstream_with_an_empty_list_still_lists_the_gateway_tools(string result)
        => Assert.Equal(["calculator", "gateway_echo"], Listed(_augmenter.Augment(ToolsList(), Response(result))).Tools.Select(tool => tool.Name));

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"cursor":null}""")]
    [InlineData("""{"_meta":{"progressToken":1}}""")]
    public void A_request_without_a_cursor_is_the_first_page(string parameters)
        => Assert.Equal(4, Listed(_augmenter.Augment(ToolsList(parameters), Response(TwoUpstreamTools))).Tools.Count);

    [Theory]
    [InlineData("""{"cursor":"page-2"}""")]
    [InlineData("""{"cursor":""}""")]
    public void A_later_page_is_left_alone(string parameters)
    {
        var upstream = Response(TwoUpstreamTools);

        Assert.Same(upstream, _augmenter.Augment(ToolsList(parameters), upstream));
    }

    [Fact]
    public void Method_not_found_from_an_upstream_without_tools_becomes_the_gateway_list()
    {
        var answer = _augmenter.Augment(ToolsList(), Error(McpErrorCode.MethodNotFound, "Method not found"));

        var response = Assert.IsType<JsonRpcResponse>(answer);
        Assert.Equal(BrowserId, response.Id);
        Assert.Equal(["calculator", "gateway_echo"], Listed(response).Tools.Select(tool => tool.Name));
    }

    [Theory]
    [InlineData((int)McpErrorCode.InternalError)]
    [InlineData((int)McpErrorCode.InvalidParams)]
    [InlineData(-32000)]
    [InlineData(BridgeErrorCodes.RequestTimeout)]
    public void Other_errors_pass_through(int code)
    {
        var error = Error((McpErrorCode)code, "failed");

        Assert.Same(error, _augmenter.Augment(ToolsList(), error));
    }

    [Fact]
    public void Method_not_found_for_a_later_page_passes_through()
    {
        var error = Error(McpErrorCode.MethodNotFound, "Method not found");

        Assert.Same(error, _augmenter.Augment(ToolsList("""{"cursor":"c"}"""), error));
    }

    [Fact]
    public void Initialize_gets_the_tools_capability_when_the_upstream_has_none()
    {
        var upstream = Response("""
            {"protocolVersion":"2025-11-25","capabilities":{"resources":{"subscribe":true},"logging":{}},
             "serverInfo":{"name":"everything","version":"2.0.0"},"instructions":"be nice"}
            """);

        var answer = Assert.IsType<JsonRpcResponse>(_augmenter.Augment(Request("initialize", "{}"), upstream));

        Assert.Equal(BrowserId, answer.Id);
        Frames.SameJson("""
            {"protocolVersion":"2025-11-25","capabilities":{"resources":{"subscribe":true},"logging":{},"tools":{}},
             "serverInfo":{"name":"everything","version":"2.0.0"},"instructions":"be nice"}
            """, answer.Result);
        Assert.Null(upstream.Result!["capabilities"]!["tools"]);
    }

    [Theory]
    [InlineData("""{"protocolVersion":"2025-11-25"}""")]
    [InlineData("""{"protocolVersion":"2025-11-25","capabilities":null}""")]
    [InlineData("""{"protocolVersion":"2025-11-25","capabilities":"none"}""")]
    [InlineData("""{"protocolVersion":"2025-11-25","capabilities":{"tools":null}}""")]
    public void Initialize_without_a_capabilities_object_gets_one_with_tools(string result)
    {
        var answer = Assert.IsType<JsonRpcResponse>(_augmenter.Augment(Request("initialize", "{}"), Response(result)));

        Frames.SameJson("""{"protocolVersion":"2025-11-25","capabilities":{"tools":{}}}""", answer.Result);
    }

    [Fact]
    public void Initialize_keeps_the_upstream_tools_capability()
    {
        var answer = Assert.IsType<JsonRpcResponse>(_augmenter.Augment(Request("initialize", "{}"),
            Response("""{"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":true}}}""")));

        Frames.SameJson("""{"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":true}}}""", answer.Result);
    }

    [Fact]
    public void Initialize_is_untouched_when_the_gateway_has_no_tools()
    {
        var upstream = Response("""{"protocolVersion":"2025-11-25","capabilities":{}}""");

        Assert.Same(upstream, new ResultAugmenter(GatewayTools.Registry(), NullLogger<ResultAugmenter>.Instance).Augment(Request("initialize", "{}"), upstream));
    }

    [Fact]
    public void A_failed_initialize_passes_through()
    {
        var error = Error((McpErrorCode)(-32022), "Unsupported protocol version");

        Assert.Same(error, _augmenter.Augment(Request("initialize", "{}"), error));
    }

    [Theory]
    [InlineData("tools/call")]
    [InlineData("resources/list")]
    [InlineData("prompts/list")]
    [InlineData("ping")]
    [InlineData("server/discover")]
    [InlineData("Tools/List")]
    public void Other_methods_are_untouched(string method)
    {
        var upstream = Response("""{"tools":[],"capabilities":{}}""");
        var failed = Error(McpErrorCode.MethodNotFound, "nope");

        Assert.Same(upstream, _augmenter.Augment(Request(method, "{}"), upstream));
        Assert.Same(failed, _augmenter.Augment(Request(method, "{}"), failed));
    }

    [Theory]
    [InlineData("""{"tools":"none"}""")]
    [InlineData("""{"tools":null}""")]
    [InlineData("""{"tools":[{"inputSchema":{"type":"object"}}]}""")]
    [InlineData("""{"tools":[{"name":"no-schema"}]}""")]
    [InlineData("""[]""")]
    [InlineData("\"tools\"")]
    public void A_malformed_upstream_list_does_not_throw(string result)
    {
        var answer = _augmenter.Augment(ToolsList(), Response(result));

        Assert.Equal(BrowserId, Assert.IsAssignableFrom<JsonRpcMessageWithId>(answer).Id);
    }

    [Fact]
    public void Members_the_sdk_does_not_model_are_kept()
    {
        var merged = Assert.IsType<JsonRpcResponse>(_augmenter.Augment(ToolsList(), Response("""
            {"tools":[{"name":"echo","inputSchema":{"type":"object"},"x-vendor":{"region":"eu"}}],"x-extra":true}
            """)));

        Assert.Equal(true, (bool?)merged.Result?["x-extra"]);
        Frames.SameJson("""{"region":"eu"}""", merged.Result?["tools"]?[2]?["x-vendor"]);
    }

    private const string TwoUpstreamTools = """{"tools":[{"name":"a","inputSchema":{"type":"object"}},{"name":"b","inputSchema":{"type":"object"}}]}""";

    private static JsonRpcRequest ToolsList(string? parameters = null) => Request("tools/list", parameters);

    private static JsonRpcRequest Request(string method, string? parameters)
        => new() { Id = BrowserId, Method = method, Params = parameters is null ? null : JsonNode.Parse(parameters) };

    private static JsonRpcResponse Response(string result) => new() { Id = BrowserId, Result = JsonNode.Parse(result) };

    private static JsonRpcError Error(McpErrorCode code, string message) => JsonRpcCodec.Error(BrowserId, code, message);

    private static ListToolsResult Listed(JsonRpcMessage answer)
    {
        var response = Assert.IsType<JsonRpcResponse>(answer);
        Assert.Equal(BrowserId, response.Id);
        return Assert.IsType<ListToolsResult>(response.Result.Deserialize<ListToolsResult>(McpJsonUtilities.DefaultOptions));
    }
}
