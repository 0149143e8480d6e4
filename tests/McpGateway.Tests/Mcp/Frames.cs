using System.Text;
using System.Text.Json.Nodes;
using McpGateway.Mcp.Dialects;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

/// <summary>Builds browser frames and reads what a dialect made of them.</summary>
internal static class Frames
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A frame from UTF-8 text with raw bytes spliced in where the text has <c>{bytes}</c>.</summary>
    public static byte[] WithBytes(string before, byte[] bytes, string after) => [.. Utf8(before), .. bytes, .. Utf8(after)];

    public static Decoded Decode(this IMcpDialect dialect, string frame) => dialect.Decode(Utf8(frame));

    public static Decoded Decode(this IMcpDialect dialect, byte[] frame)
    {
        var message = dialect.Decode(frame, out var error);
        return new Decoded(message, error);
    }

    /// <summary>The JSON a dialect sends for a message.</summary>
    public static JsonObject Encoded(this IMcpDialect dialect, JsonRpcMessage message)
        => Assert.IsType<JsonObject>(JsonNode.Parse(dialect.Encode(message)));

    /// <summary>Asserts two JSON texts hold the same value (member order aside).</summary>
    public static void SameJson(string expected, JsonNode? actual)
        => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}{Environment.NewLine}actual   {actual?.ToJsonString()}");

    /// <summary>Deep nesting: <paramref name="depth"/> levels of arrays, alternating with objects.</summary>
    public static string Nested(int depth)
    {
        var text = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            text.Append(level % 2 == 0 ? "[" : """{"a":""");
        }

        text.Append('1');
        for (var level = depth - 1; level >= 0; level--)
        {
            text.Append(level % 2 == 0 ? "]" : "}");
        }

        return text.ToString();
    }
}
