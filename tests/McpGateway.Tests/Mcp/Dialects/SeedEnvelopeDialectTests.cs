using System.Text.Json.Nodes;
using McpGateway.Mcp;
using McpGateway.Mcp.Dialects;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Dialects;

public sealed class SeedEnvelopeDialectTests
{
    private const int InvalidRequest = (int)McpErrorCode.InvalidRequest;

    private readonly SeedEnvelopeDialect _dialect = new();
    private readonly JsonRpcDialect _jsonRpc = new();

    [Fact]
    public void Is_the_mcp_v1_subprotocol() => Assert.Equal("mcp-v1", _dialect.Name);

    [Fact]
    public void A_tool_call_request_becomes_tools_call_with_name_and_arguments()
    {
        var request = _dialect.Decode("""
            {"id":"r1","type":"request","method":"tool_call",
             "params":{"tool_name":"calculator","parameters":{"expression":"1+2","tool_name":"inner"},"_meta":{"progressToken":"p"}}}
            """).Is<JsonRpcRequest>();

        Frames.SameJson("""
            {"jsonrpc":"2.0","id":"r1","method":"tools/call",
             "params":{"name":"calculator","arguments":{"expression":"1+2","tool_name":"inner"},"_meta":{"progressToken":"p"}}}
            """, _jsonRpc.Encoded(request));
    }

    [Theory]
    [InlineData("context_store", "context/store")]
    [InlineData("context_list", "context/list")]
    [InlineData("context_delete", "context/delete")]
    [InlineData("auth", "gateway/auth")]
    [InlineData("tools/list", "tools/list")]
    [InlineData("tools/call", "tools/call")]
    [InlineData("initialize", "initialize")]
    [InlineData("ping", "ping")]
    [InlineData("resources/read", "resources/read")]
    [InlineData("custom_method", "custom_method")]
    [InlineData("Tool_Call", "Tool_Call")]
    public void A_request_method_is_translated_and_params_and_id_kept(string seed, string jsonRpc)
    {
        var request = _dialect.Decode("""{"id":42,"type":"request","method":"@seed","params":{"conversation_id":"c1","content":"x","metadata":{"model":"m"}}}""".Replace("@seed", seed, StringComparison.Ordinal))
            .Is<JsonRpcRequest>();

        Assert.Equal(jsonRpc, request.Method);
        Assert.Equal(new RequestId(42), request.Id);
        Frames.SameJson("""{"conversation_id":"c1","content":"x","metadata":{"model":"m"}}""", request.Params);
    }

    [Fact]
    public void A_request_without_params_has_none()
        => Assert.Null(_dialect.Decode("""{"id":"a","type":"request","method":"auth"}""").Is<JsonRpcRequest>().Params);

    [Fact]
    public void Only_tool_call_params_are_renamed()
        => Frames.SameJson("""{"tool_name":"t","parameters":{}}""",
            _dialect.Decode("""{"id":1,"type":"request","method":"context_store","params":{"tool_name":"t","parameters":{}}}""").Is<JsonRpcRequest>().Params);

    [Theory]
    [InlineData("context_update", "notifications/context/updated")]
    [InlineData("notifications/initialized", "notifications/initialized")]
    [InlineData("notifications/cancelled", "notifications/cancelled")]
    [InlineData("progress", "progress")]
    public void A_notification_is_translated(string seed, string jsonRpc)
    {
        var notification = _dialect.Decode("""{"type":"notification","method":"@seed","params":{"requestId":"r1"}}""".Replace("@seed", seed, StringComparison.Ordinal)).Is<JsonRpcNotification>();

        Assert.Equal(jsonRpc, notification.Method);
        Frames.SameJson("""{"requestId":"r1"}""", notification.Params);
    }

    [Theory]
    [InlineData("\"s-1\"")]
    [InlineData("7")]
    [InlineData("9007199254740993")]
    public void A_response_keeps_its_id_and_result(string id)
    {
        var response = _dialect.Decode("""{"id":@id,"type":"response","result":{"roots":[{"uri":"file:///w"}]}}""".Replace("@id", id, StringComparison.Ordinal)).Is<JsonRpcResponse>();

        Frames.SameJson("""{"jsonrpc":"2.0","id":@id,"result":{"roots":[{"uri":"file:///w"}]}}""".Replace("@id", id, StringComparison.Ordinal), _jsonRpc.Encoded(response));
    }

    [Fact]
    public void A_response_with_an_error_becomes_a_json_rpc_error()
    {
        var error = _dialect.Decode("""{"id":"s-2","type":"response","error":{"code":-1,"message":"declined","data":{"why":"user"}}}""").Is<JsonRpcError>();

        Frames.SameJson("""{"jsonrpc":"2.0","id":"s-2","error":{"code":-1,"message":"declined","data":{"why":"user"}}}""", _jsonRpc.Encoded(error));
    }

    [Theory]
    [InlineData("""{"id":"s-3","type":"response"}""")]
    [InlineData("""{"id":"s-3","type":"response","result":null}""")]
    [InlineData("""{"id":"s-3","type":"response","error":null}""")]
    public void A_response_without_a_result_has_an_empty_result(string frame)
        => Frames.SameJson("{}", _dialect.Decode(frame).Is<JsonRpcResponse>().Result);

    [Theory]
    [InlineData("""{"id":"r1","method":"ping"}""")]
    [InlineData("""{"id":"r1","type":"event","method":"ping"}""")]
    [InlineData("""{"id":"r1","type":"Request","method":"ping"}""")]
    [InlineData("""{"id":"r1","type":"","method":"ping"}""")]
    [InlineData("""{"id":"r1","type":null,"method":"ping"}""")]
    [InlineData("""{"id":"r1","type":1,"method":"ping"}""")]
    [InlineData("""{"id":"r1","type":["request"],"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping"}""")]
    [InlineData("{}")]
    public void A_missing_or_unknown_type_is_an_invalid_request(string frame)
        => Assert.Contains("\"type\"", _dialect.Decode(frame).Failed(InvalidRequest).Error.Message, StringComparison.Ordinal);

    [Fact]
    public void A_missing_type_is_answered_with_the_envelope_id()
        => Assert.Equal(new RequestId("r1"), _dialect.Decode("""{"id":"r1","method":"ping"}""").Failed(InvalidRequest).Id);

    [Fact]
    public void A_request_without_an_id_is_an_invalid_request()
    {
        var error = _dialect.Decode("""{"type":"request","method":"tool_call","params":{"tool_name":"calculator"}}""").Failed(InvalidRequest);

        Assert.Equal(default, error.Id);
        Assert.Contains("\"id\"", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_with_a_null_id_is_an_invalid_request()
        => _dialect.Decode("""{"id":null,"type":"request","method":"context_list","params":{"conversation_id":"c"}}""").Failed(InvalidRequest);

    [Fact]
    public void A_notification_with_an_id_stays_a_notification()
        => _dialect.Decode("""{"id":"n1","type":"notification","method":"notifications/initialized"}""").Is<JsonRpcNotification>();

    [Theory]
    [InlineData("""{"type":"response","result":{}}""", "null")]
    [InlineData("""{"id":null,"type":"response","result":{}}""", "null")]
    [InlineData("""{"id":true,"type":"request","method":"ping"}""", "null")]
    [InlineData("""{"id":1.5,"type":"request","method":"ping"}""", "null")]
    [InlineData("""{"id":{"a":1},"type":"request","method":"ping"}""", "null")]
    [InlineData("""{"id":"r","type":"request"}""", "\"r\"")]
    [InlineData("""{"id":"r","type":"request","method":5}""", "\"r\"")]
    [InlineData("""{"id":"r","type":"request","method":""}""", "\"r\"")]
    [InlineData("""{"id":2,"type":"request","method":"tool_call","params":"calculator"}""", "2")]
    [InlineData("""{"id":2,"type":"notification","method":"context_update","params":7}""", "2")]
    [InlineData("""{"id":3,"type":"response","error":{"code":"x","message":"m"}}""", "3")]
    [InlineData("""{"id":3,"type":"response","error":"failed"}""", "3")]
    [InlineData("[]", "null")]
    [InlineData("""[{"id":1,"type":"request","method":"ping"}]""", "null")]
    [InlineData("\"request\"", "null")]
    [InlineData("null", "null")]
    public void Other_invalid_envelopes_are_invalid_requests(string frame, string id)
        => Assert.Equal(id, _dialect.Encoded(_dialect.Decode(frame).Failed(InvalidRequest))["id"]?.ToJsonString() ?? "null");

    [Theory]
    [InlineData("")]
    [InlineData("type=request")]
    [InlineData("""{"id":1,"type":"request","method":"pi""")]
    [InlineData("""{"id":1,"type":"request","method":"ping"}x""")]
    public void Text_that_is_not_json_is_a_parse_error(string frame)
        => _dialect.Decode(frame).Failed((int)McpErrorCode.ParseError);

    [Fact]
    public void A_tools_call_request_to_the_browser_is_a_tool_call_envelope()
    {
        var encoded = _dialect.Encoded(new JsonRpcRequest
        {
            Id = new RequestId("u-1"),
            Method = "tools/call",
            Params = JsonNode.Parse("""{"name":"calculator","arguments":{"expression":"2^8"},"_meta":{"k":1}}"""),
        });

        Frames.SameJson("""
            {"id":"u-1","type":"request","method":"tool_call","params":{"tool_name":"calculator","parameters":{"expression":"2^8"},"_meta":{"k":1}}}
            """, encoded);
    }

    [Theory]
    [InlineData("sampling/createMessage", "sampling/createMessage")]
    [InlineData("elicitation/create", "elicitation/create")]
    [InlineData("roots/list", "roots/list")]
    [InlineData("context/store", "context_store")]
    [InlineData("context/list", "context_list")]
    [InlineData("context/delete", "context_delete")]
    [InlineData("gateway/auth", "auth")]
    public void A_request_to_the_browser_keeps_its_params_and_translates_its_method(string jsonRpc, string seed)
    {
        var encoded = _dialect.Encoded(new JsonRpcRequest { Id = new RequestId(3), Method = jsonRpc, Params = JsonNode.Parse("""{"name":"n","arguments":{}}""") });

        Frames.SameJson("""{"id":3,"type":"request","method":"@seed","params":{"name":"n","arguments":{}}}""".Replace("@seed", seed, StringComparison.Ordinal), encoded);
    }

    [Theory]
    [InlineData("notifications/context/updated", "context_update")]
    [InlineData("notifications/gateway/tool_executed", "notifications/gateway/tool_executed")]
    [InlineData("notifications/progress", "notifications/progress")]
    [InlineData("notifications/message", "notifications/message")]
    public void A_notification_to_the_browser_has_no_id_and_a_translated_method(string jsonRpc, string seed)
    {
        var encoded = _dialect.Encoded(new JsonRpcNotification
        {
            Method = jsonRpc,
            Params = JsonNode.Parse("""{"conversation_id":"c","action":"stored","id":"x"}"""),
        });

        Frames.SameJson("""{"type":"notification","method":"@seed","params":{"conversation_id":"c","action":"stored","id":"x"}}""".Replace("@seed", seed, StringComparison.Ordinal), encoded);
    }

    [Fact]
    public void A_response_to_the_browser_is_a_response_envelope_with_the_id()
        => Frames.SameJson("""{"id":"r9","type":"response","result":{"content":[{"type":"text","text":"3"}],"isError":false}}""",
            _dialect.Encoded(JsonRpcCodec.Result(new RequestId("r9"), JsonNode.Parse("""{"content":[{"type":"text","text":"3"}],"isError":false}"""))));

    [Fact]
    public void An_error_to_the_browser_is_a_response_envelope_with_the_error()
        => Frames.SameJson("""{"id":12,"type":"response","error":{"code":-32602,"message":"bad"}}""",
            _dialect.Encoded(JsonRpcCodec.Error(new RequestId(12), McpErrorCode.InvalidParams, "bad")));

    [Fact]
    public void An_error_without_an_id_is_a_response_envelope_with_a_null_id()
        => Frames.SameJson("""{"id":null,"type":"response","error":{"code":-32700,"message":"p"}}""",
            _dialect.Encoded(JsonRpcCodec.Error(null, McpErrorCode.ParseError, "p")));

    [Fact]
    public void Encoded_envelopes_carry_no_jsonrpc_member()
    {
        JsonRpcMessage[] messages =
        [
            new JsonRpcRequest { Id = new RequestId(1), Method = "ping" },
            new JsonRpcNotification { Method = "notifications/context/updated" },
            JsonRpcCodec.Result(new RequestId(1), new JsonObject()),
            JsonRpcCodec.Error(new RequestId(1), McpErrorCode.InternalError, "x"),
        ];

        Assert.All(messages, message => Assert.False(_dialect.Encoded(message).ContainsKey("jsonrpc")));
    }

    [Theory]
    [InlineData("""{"id":"r1","type":"request","method":"tool_call","params":{"tool_name":"calculator","parameters":{"expression":"1"}}}""")]
    [InlineData("""{"id":2,"type":"request","method":"context_store","params":{"conversation_id":"c","content":"x"}}""")]
    [InlineData("""{"id":3,"type":"request","method":"context_list","params":{"conversation_id":"c"}}""")]
    [InlineData("""{"id":4,"type":"request","method":"context_delete","params":{"conversation_id":"c","id":"x"}}""")]
    [InlineData("""{"id":5,"type":"request","method":"auth"}""")]
    [InlineData("""{"id":6,"type":"request","method":"tools/list","params":{}}""")]
    [InlineData("""{"type":"notification","method":"context_update","params":{"conversation_id":"c","action":"deleted","id":"x"}}""")]
    [InlineData("""{"type":"notification","method":"notifications/initialized"}""")]
    [InlineData("""{"id":"s","type":"response","result":{"a":[1,2]}}""")]
    [InlineData("""{"id":"s","type":"response","error":{"code":-1,"message":"m","data":[null]}}""")]
    public void Translation_is_one_to_one_in_both_directions(string frame)
        => Frames.SameJson(frame, _dialect.Encoded(_dialect.Decode(frame).Is<JsonRpcMessage>()));
}
