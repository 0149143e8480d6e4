using System.Text.Json.Nodes;
using McpGateway.Mcp;
using McpGateway.Mcp.Dialects;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Dialects;

/// <summary>The <c>mcp</c> dialect: valid messages become the SDK's types and are written back unchanged.</summary>
public sealed class JsonRpcDialectTests
{
    private readonly JsonRpcDialect _dialect = new();

    [Fact]
    public void Is_the_mcp_subprotocol() => Assert.Equal("mcp", _dialect.Name);

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":0,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":-42,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":9223372036854775807,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":-9223372036854775808,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"abc","method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"1","method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"","method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"ünïcødé 😀","method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{},"roots":{"listChanged":true}},"clientInfo":{"name":"web","version":"1.0"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"x","arguments":{"n":1.25,"big":12345678901234567890,"s":"é\"\\\n","null":null,"list":[true,false,null,{}]},"_meta":{"progressToken":"t1"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":9,"method":"legacy/positional","params":[1,"two",{"three":3}]}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t1","progress":0.5,"total":1}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3,"reason":"user"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"s-1","result":{"roots":[{"uri":"file:///home","name":"home"}]}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":2,"result":{"action":"accept","content":{"answer":42}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"Method not found"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"e","error":{"code":-1,"message":"declined","data":{"reason":"user","list":[1,2]}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":4,"error":{"code":-32000,"message":"","data":"text"}}""")]
    public void A_valid_message_survives_decode_and_encode_unchanged(string frame)
    {
        var message = _dialect.Decode(frame).Is<JsonRpcMessage>();

        Frames.SameJson(frame, JsonNode.Parse(_dialect.Encode(message)));
    }

    [Fact]
    public void Requests_notifications_responses_and_errors_become_the_matching_sdk_types()
    {
        var request = _dialect.Decode("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo"}}""").Is<JsonRpcRequest>();
        Assert.Equal("tools/call", request.Method);
        Assert.Equal(5L, request.Id.Id);
        Assert.Equal("echo", (string?)request.Params?["name"]);

        var notification = _dialect.Decode("""{"jsonrpc":"2.0","method":"notifications/initialized"}""").Is<JsonRpcNotification>();
        Assert.Equal("notifications/initialized", notification.Method);
        Assert.Null(notification.Params);

        var response = _dialect.Decode("""{"jsonrpc":"2.0","id":"s1","result":{"ok":true}}""").Is<JsonRpcResponse>();
        Assert.Equal("s1", response.Id.Id);
        Assert.True((bool?)response.Result?["ok"]);

        var error = _dialect.Decode("""{"jsonrpc":"2.0","id":6,"error":{"code":-32601,"message":"nope","data":[1]}}""").Is<JsonRpcError>();
        Assert.Equal(6L, error.Id.Id);
        Assert.Equal(-32601, error.Error.Code);
        Assert.Equal("nope", error.Error.Message);
    }

    [Fact]
    public void String_and_integer_ids_stay_distinct()
    {
        var text = _dialect.Decode("""{"jsonrpc":"2.0","id":"1","method":"ping"}""").Is<JsonRpcRequest>();
        var number = _dialect.Decode("""{"jsonrpc":"2.0","id":1,"method":"ping"}""").Is<JsonRpcRequest>();

        Assert.IsType<string>(text.Id.Id);
        Assert.IsType<long>(number.Id.Id);
        Assert.NotEqual(text.Id, number.Id);
        Assert.Equal("\"1\"", _dialect.Encoded(text)["id"]!.ToJsonString());
        Assert.Equal("1", _dialect.Encoded(number)["id"]!.ToJsonString());
    }

    [Fact]
    public void A_large_integer_id_keeps_every_digit()
    {
        var request = _dialect.Decode("""{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}""").Is<JsonRpcRequest>();

        Assert.Equal(9007199254740993L, request.Id.Id);
        Assert.Contains("\"id\":9007199254740993", System.Text.Encoding.UTF8.GetString(_dialect.Encode(request)), StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_around_a_message_is_allowed()
        => _dialect.Decode(" \r\n\t{ \"jsonrpc\" : \"2.0\" , \"method\" : \"ping\" , \"id\" : 1 }\n ").Is<JsonRpcRequest>();

    [Fact]
    public void Null_params_are_the_same_as_no_params()
        => Assert.Null(_dialect.Decode("""{"jsonrpc":"2.0","id":1,"method":"ping","params":null}""").Is<JsonRpcRequest>().Params);

    [Fact]
    public void A_huge_string_is_carried_whole()
    {
        var payload = new string('x', 2_000_000);
        var request = _dialect.Decode("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":" """.TrimEnd() + payload + "\"}}}").Is<JsonRpcRequest>();

        Assert.Equal(payload, (string?)request.Params?["arguments"]?["text"]);
    }

    [Fact]
    public void Errors_are_encoded_as_json_rpc_error_responses()
    {
        var encoded = _dialect.Encoded(JsonRpcCodec.Error(new RequestId("r"), McpErrorCode.InvalidParams, "bad"));

        Frames.SameJson("""{"jsonrpc":"2.0","id":"r","error":{"code":-32602,"message":"bad"}}""", encoded);
    }

    [Fact]
    public void An_error_without_an_id_is_encoded_with_a_null_id()
        => Frames.SameJson("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"p"}}""",
            _dialect.Encoded(JsonRpcCodec.Error(null, McpErrorCode.ParseError, "p")));

    [Fact]
    public void A_null_result_survives_decode_and_encode()
    {
        const string Frame = """{"jsonrpc":"2.0","id":1,"result":null}""";

        var encoded = _dialect.Encode(_dialect.Decode(Frame).Is<JsonRpcResponse>());

        _dialect.Decode(encoded).Is<JsonRpcResponse>();
    }
}
