using System.Text.Json.Nodes;
using McpGateway.Mcp.Dialects;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Dialects;

/// <summary>Frames the <c>mcp</c> dialect refuses, and the exact JSON-RPC error each gets.</summary>
public sealed class JsonRpcDialectRefusalTests
{
    private const int ParseError = (int)McpErrorCode.ParseError;
    private const int InvalidRequest = (int)McpErrorCode.InvalidRequest;

    private readonly JsonRpcDialect _dialect = new();

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\r\n\t")]
    [InlineData("not json")]
    [InlineData("}")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/li""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"} {}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}garbage""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"},""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping",}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping" /* comment */}""")]
    [InlineData("""{'jsonrpc':'2.0','id':1,'method':'ping'}""")]
    [InlineData("""{jsonrpc:"2.0",id:1,method:"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":01,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":NaN,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":"\x"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":"\u12"}}""")]
    [InlineData("\"unterminated")]
    [InlineData("[1,2")]
    [InlineData("tru")]
    [InlineData("undefined")]
    public void Text_that_is_not_json_is_a_parse_error_without_an_id(string frame)
    {
        var error = _dialect.Decode(frame).Failed(ParseError);

        Assert.Equal(default, error.Id);
        Assert.Equal("Parse error: the frame is not valid JSON.", error.Error.Message);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list" """)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list",""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{}}""")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"}""")]
    public void A_frame_cut_off_inside_an_object_is_a_parse_error(string frame)
    {
        var error = _dialect.Decode(frame).Failed(ParseError);

        Assert.Equal("Parse error: the frame is not valid JSON.", error.Error.Message);
    }

    public static TheoryData<byte[]> InvalidUtf8Structure => new()
    {
        { [0xFF] },
        { [0xFF, 0xFE, 0x00, 0x7B] },
        { [0xC0, 0xAF] },
        { Frames.WithBytes("", [0xFF], """{"jsonrpc":"2.0","id":1,"method":"ping"}""") },
        { Frames.WithBytes("""{"jsonrpc":"2.0","id":1,"method":"ping","params":{""", [0xC3, 0x28], "\":1}}") },
        { Frames.WithBytes("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", [0xE2, 0x82], "") },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8Structure))]
    public void Bytes_that_are_not_utf8_are_a_parse_error(byte[] frame)
        => Assert.Equal(default, _dialect.Decode(frame).Failed(ParseError).Id);

    public static TheoryData<byte[]> InvalidUtf8InStrings => new()
    {
        { Frames.WithBytes("""{"jsonrpc":"2.0","id":1,"method":"pi""", [0xFF], "ng\"}") },
        { Frames.WithBytes("""{"jsonrpc":"2.0","id":"a""", [0xC3, 0x28], "\",\"method\":\"ping\"}") },
        { Frames.WithBytes("""{"jsonrpc":"2""", [0x80], ".0\",\"id\":1,\"method\":\"ping\"}") },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8InStrings))]
    public void Invalid_utf8_inside_a_string_is_a_parse_error(byte[] frame)
        => _dialect.Decode(frame).Failed(ParseError);

    [Theory]
    [InlineData("[]", null, "batches")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""", null, "batches")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]""", null, "batches")]
    [InlineData("\"tools/list\"", null, "JSON object")]
    [InlineData("42", null, "JSON object")]
    [InlineData("-1.5e3", null, "JSON object")]
    [InlineData("true", null, "JSON object")]
    [InlineData("false", null, "JSON object")]
    [InlineData("null", null, "JSON object")]
    [InlineData("{}", null, "jsonrpc")]
    [InlineData("""{"id":1,"method":"ping"}""", "1", "jsonrpc")]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"ping"}""", "1", "jsonrpc")]
    [InlineData("""{"jsonrpc":"2","id":"a","method":"ping"}""", "\"a\"", "jsonrpc")]
    [InlineData("""{"jsonrpc":2.0,"id":1,"method":"ping"}""", "1", "jsonrpc")]
    [InlineData("""{"jsonrpc":null,"id":1,"method":"ping"}""", "1", "jsonrpc")]
    [InlineData("""{"jsonrpc":["2.0"],"id":1,"method":"ping"}""", "1", "jsonrpc")]
    [InlineData("""{"JSONRPC":"2.0","id":1,"method":"ping"}""", "1", "jsonrpc")]
    [InlineData("""{"jsonrpc":"2.0 ","id":1,"method":"ping"}""", "1", "jsonrpc")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":42}""", "1", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":null}""", "1", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":""}""", "1", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":"x","method":{"name":"ping"}}""", "\"x\"", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":["ping"]}""", "1", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":true}""", "1", "method")]
    [InlineData("""{"jsonrpc":"2.0","method":7}""", null, "method")]
    [InlineData("""{"jsonrpc":"2.0","id":true,"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":false,"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":1.5,"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":1e2,"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":9223372036854775808,"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":{},"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":{"value":1},"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":[1],"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":null,"method":"ping"}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":true,"result":{}}""", null, "id")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}""", "1", "params")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":5}""", "1", "params")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":true}""", "1", "params")]
    [InlineData("""{"jsonrpc":"2.0","id":"p","method":"tools/call","params":"{\"name\":\"x\"}"}""", "\"p\"", "params")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/progress","params":1}""", null, "params")]
    [InlineData("""{"jsonrpc":"2.0","result":{}}""", null, "method")]
    [InlineData("""{"jsonrpc":"2.0","error":{"code":-1,"message":"m"}}""", null, "method")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", "1", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":"r"}""", "\"r\"", "method")]
    [InlineData("""{"jsonrpc":"2.0"}""", null, "method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"Method":"ping"}""", "1", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":5}""", "1", "shape")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":"failed"}""", "1", "shape")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}""", "1", "shape")]
    [InlineData("""{"jsonrpc":"2.0","id":"e","error":{"code":1.5,"message":"m"}}""", "\"e\"", "shape")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":7}}""", "1", "shape")]
    public void Json_that_is_not_one_valid_message_is_an_invalid_request(string frame, string? id, string explains)
    {
        var error = _dialect.Decode(frame).Failed(InvalidRequest);

        Assert.Equal(id ?? "null", IdOf(error));
        Assert.Contains(explains, error.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(63, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(100, false)]
    [InlineData(10_000, false)]
    public void Nesting_is_allowed_up_to_64_levels(int depth, bool accepted)
    {
        // The message object is level 1: the value of "params" starts at level 2.
        var frame = $$$"""{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":{{{Frames.Nested(depth - 2)}}}}}""";
        if (depth < 3)
        {
            frame = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";
        }

        var decoded = _dialect.Decode(frame);

        if (accepted)
        {
            var request = decoded.Is<JsonRpcRequest>();
            Frames.SameJson(frame, JsonNode.Parse(_dialect.Encode(request)));
        }
        else
        {
            var error = decoded.Failed(InvalidRequest);
            Assert.Equal("The message nests deeper than 64 levels.", error.Error.Message);
            Assert.Equal(default, error.Id);
        }
    }

    [Fact]
    public void Deep_nesting_in_a_frame_that_is_also_truncated_is_refused_without_a_stack_overflow()
        => Assert.Equal(InvalidRequest, Assert.IsType<JsonRpcError>(_dialect.Decode(new string('[', 1_000_000)).Error).Error.Code);

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"2.0","jsonrpc":"2.0","id":1,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{},"result":{}}""")]
    public void A_repeated_member_name_is_answered_not_thrown(string frame)
    {
        var decoded = _dialect.Decode(frame);

        Assert.True(decoded.Message is not null ^ decoded.Error is not null);
        if (decoded.Error is { } error)
        {
            Assert.Contains(error.Error.Code, new[] { InvalidRequest, ParseError });
        }
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"\uDE00"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"\uD800","method":"ping"}""")]
    [InlineData("""{"jsonrpc":"\uD800","id":1,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":{"\uDE00":1}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"\uD800x":true}}""")]
    [InlineData("""{"\uDE00":1,"jsonrpc":"2.0","id":1,"method":"ping"}""")]
    public void An_escaped_lone_surrogate_is_answered_not_thrown(string frame)
    {
        var decoded = _dialect.Decode(frame);

        Assert.True(decoded.Message is not null ^ decoded.Error is not null);
    }

    [Fact]
    public void A_response_with_both_result_and_error_is_an_invalid_request()
        => Assert.Equal("1", IdOf(_dialect.Decode("""{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}""").Failed(InvalidRequest)));

    private string IdOf(JsonRpcError error) => _dialect.Encoded(error)["id"]?.ToJsonString() ?? "null";
}
