using System.Text;
using McpGateway.Mcp;
using McpGateway.Tests.Mcp.Dialects;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

/// <summary>
/// <see cref="JsonRpcCodec.Decode"/> (one parse for requests and notifications) against the full path it stands in
/// for (<see cref="JsonRpcCodec.ParseObject"/> + <see cref="JsonRpcCodec.ToMessage"/>): the same message or the same
/// error, frame for frame, on a corpus of valid, odd and malformed frames.
/// </summary>
public sealed class JsonRpcCodecDecodeTests
{
    private static readonly string[] Ids = ["", "\"id\":1,", "\"id\":\"a-1\",", "\"id\":-7,", "\"id\":0,", "\"id\":1.5,", "\"id\":1e3,", "\"id\":9223372036854775808,",
        "\"id\":null,", "\"id\":true,", "\"id\":{},", "\"id\":[],", "\"id\":\"\",", "\"id\":\"\\u0061\",", "\"id\":\"\\ud800\","];

    private static readonly string[] Methods = ["", "\"method\":\"tools/call\",", "\"method\":\"notifications/initialized\",", "\"method\":\"tools\\/list\",",
        "\"method\":\"\\u0074ools/list\",", "\"method\":\"\",", "\"method\":null,", "\"method\":7,", "\"method\":\"\\udc00x\",", "\"method\":\"caf\u00e9\","];

    private static readonly string[] Params = ["", "\"params\":{},", "\"params\":[],", "\"params\":null,", "\"params\":1,", "\"params\":\"x\",",
        "\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"hi \\u00e9 \\ud83d\\ude00\"},\"_meta\":{\"progressToken\":3}},", "\"params\":{\"a\":\"\\ud800\"},", "\"params\":[1,{\"b\":[true,null]}],"];

    private static readonly string[] Versions = ["\"jsonrpc\":\"2.0\"", "\"jsonrpc\":\"1.0\"", "\"jsonrpc\":2", "\"jsonrpc\":\"2\\u002e0\"", "\"x\":0"];

    private static readonly string[] Extras = ["", ",\"result\":{}", ",\"error\":{\"code\":-1,\"message\":\"m\"}", ",\"result\":{},\"error\":{\"code\":1,\"message\":\"m\"}", ",\"foo\":[1]", ",\"error\":5"];

    private static readonly string[] Odd =
    [
        "", " ", "null", "1", "\"text\"", "[]", "[{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}]", "{", "{\"jsonrpc\":\"2.0\",\"method\":\"ping\"",
        "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":{\"a\":1,\"a\":2}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":" + new string('[', 70) + new string(']', 70) + "}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":" + new string('[', 60) + new string(']', 60) + "}",
        "  {\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}  ", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"} x", "{\"JSONRPC\":\"2.0\",\"method\":\"ping\"}",
    ];

    private static List<string> Corpus()
    {
        var frames = new List<string>();
        foreach (var version in Versions)
        {
            foreach (var id in Ids)
            {
                foreach (var method in Methods)
                {
                    foreach (var parameters in Params)
                    {
                        frames.Add("{" + id + method + parameters + version + "}");
                    }
                }
            }
        }

        foreach (var extra in Extras)
        {
            foreach (var id in Ids)
            {
                frames.Add("{\"jsonrpc\":\"2.0\"," + id + "\"method\":\"ping\"" + extra + "}");
                frames.Add("{\"jsonrpc\":\"2.0\"," + id.TrimEnd(',') + (id.Length == 0 ? "\"x\":1" : "") + extra + "}");
            }
        }

        foreach (var odd in Odd)
        {
            frames.Add(odd);
        }

        return frames;
    }

    [Fact]
    public void Both_paths_give_the_same_message_or_the_same_error_on_thousands_of_built_frames()
    {
        var corpus = Corpus();
        Assert.True(corpus.Count > 5000);
        foreach (var frame in corpus)
        {
            AssertSame(Encoding.UTF8.GetBytes(frame), frame);
        }
    }

    [Fact]
    public void Both_paths_agree_on_thousands_of_fuzzed_frames_and_on_invalid_utf8()
    {
        var frames = new FrameFuzzer(20261203).Frames(4000).Select(generated => generated.Frame)
            .Append([.. "{\"jsonrpc\":\"2.0\",\"method\":\""u8, 0xC3, 0x28, .. "\"}"u8])
            .Append([.. "{\"jsonrpc\":\"2.0\",\"id\":\""u8, 0xFF, .. "\",\"method\":\"ping\"}"u8])
            .Append([.. "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":{\"a\":\""u8, 0xED, 0xA0, 0x80, .. "\"}}"u8]);
        foreach (var frame in frames)
        {
            AssertSame(frame, Convert.ToBase64String(frame));
        }
    }

    [Fact]
    public void A_decoded_requests_params_do_not_change_when_the_frames_buffer_is_reused()
    {
        var frame = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hello"}}}""");

        var request = Assert.IsType<JsonRpcRequest>(JsonRpcCodec.Decode(frame, out _));
        Array.Fill(frame, (byte)' ');

        Assert.Equal("""{"name":"echo","arguments":{"message":"hello"}}""", request.Params!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":"r-1","method":"tools/list"}""", typeof(JsonRpcRequest))]
    [InlineData("""{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"echo"}}""", typeof(JsonRpcRequest))]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", typeof(JsonRpcNotification))]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{}}""", typeof(JsonRpcResponse))]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}""", typeof(JsonRpcError))]
    public void Requests_notifications_and_answers_decode_to_their_sdk_types(string frame, Type expected)
        => Assert.IsType(expected, JsonRpcCodec.Decode(Encoding.UTF8.GetBytes(frame), out _));

    private static void AssertSame(byte[] frame, string label)
    {
        var (fullMessage, fullError) = Run(frame, static (bytes, out error) =>
        {
            var json = JsonRpcCodec.ParseObject(bytes, out error);
            return json is null ? null : JsonRpcCodec.ToMessage(json, out error);
        });
        var (fastMessage, fastError) = Run(frame, JsonRpcCodec.Decode);

        Assert.True(fullMessage is null == fastMessage is null, label);
        if (fullMessage is not null)
        {
            Assert.True(fullMessage.GetType() == fastMessage!.GetType(), label);
            Assert.True(JsonRpcCodec.Serialize(fullMessage).AsSpan().SequenceEqual(JsonRpcCodec.Serialize(fastMessage)), label);
        }
        else
        {
            Assert.True(Encoding.UTF8.GetString(JsonRpcCodec.Serialize(fullError!)) == Encoding.UTF8.GetString(JsonRpcCodec.Serialize(fastError!)), label);
        }
    }

    /// <summary>As the dialect runs a decoder: a string that cannot be read is the "unreadable" error.</summary>
    private static (JsonRpcMessage? Message, JsonRpcError? Error) Run(byte[] frame, Decoder decode)
    {
        try
        {
            var message = decode(frame, out var error);
            return (message, error);
        }
        catch (Exception ex) when (JsonRpcCodec.IsUnreadable(ex))
        {
            return (null, JsonRpcCodec.Unreadable());
        }
    }

    private delegate JsonRpcMessage? Decoder(ReadOnlyMemory<byte> frame, out JsonRpcError? error);
}
