using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpGateway.Tests.Mcp.Dialects;

/// <summary>
/// Generates hostile and odd frames from a seed, so that a failure can be replayed: random JSON,
/// mutated valid messages, deep nesting, huge strings, random text and random bytes.
/// </summary>
internal sealed class FrameFuzzer(int seed)
{
    private static readonly string[] Methods =
    [
        "initialize", "ping", "tools/list", "tools/call", "context/store", "context/list", "context/delete", "gateway/auth",
        "notifications/initialized", "notifications/cancelled", "notifications/progress", "sampling/createMessage",
        "tool_call", "context_store", "context_list", "context_delete", "context_update", "auth", "", " ", "x/y/z",
    ];

    private static readonly string[] Members =
    [
        "jsonrpc", "id", "method", "params", "result", "error", "type", "code", "message", "data", "name", "arguments",
        "tool_name", "parameters", "cursor", "requestId", "conversation_id", "content", "_meta", "JSONRPC", "Id", "",
    ];

    private readonly Random _random = new(seed);

    /// <summary>Frames of every kind, with the kind for failure messages.</summary>
    public IEnumerable<(string Kind, byte[] Frame)> Frames(int count)
    {
        for (var index = 0; index < count; index++)
        {
            var kind = _random.Next(100);
            yield return kind switch
            {
                < 10 => ("random json", Utf8(RandomValue(0)?.ToJsonString() ?? "null")),
                < 30 => ("message-like", Utf8(MessageLike().ToJsonString())),
                < 55 => ("mutated message", Mutate(Utf8(MessageLike().ToJsonString()))),
                < 70 => ("envelope-like", Utf8(EnvelopeLike().ToJsonString())),
                < 75 => ("mutated envelope", Mutate(Utf8(EnvelopeLike().ToJsonString()))),
                < 85 => ("deep nesting", Utf8(Deep())),
                < 92 => ("random text", Utf8(RandomText(_random.Next(0, 200)))),
                < 99 => ("random bytes", RandomBytes()),
                _ => ("huge string", Utf8(Huge())),
            };
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private JsonNode? RandomValue(int depth)
    {
        var choice = _random.Next(depth > 6 ? 7 : 10);
        return choice switch
        {
            0 => null,
            1 => JsonValue.Create(_random.Next(2) == 0),
            2 => JsonValue.Create(_random.Next(int.MinValue, int.MaxValue)),
            3 => JsonValue.Create(_random.NextInt64()),
            4 => JsonValue.Create((_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-10, 20))),
            5 or 6 => JsonValue.Create(RandomText(_random.Next(0, 20))),
            7 => JsonValue.Create(Methods[_random.Next(Methods.Length)]),
            8 => RandomArray(depth),
            _ => RandomObject(depth),
        };
    }

    private JsonArray RandomArray(int depth)
    {
        var array = new JsonArray();
        for (var index = _random.Next(0, 5); index > 0; index--)
        {
            array.Add(RandomValue(depth + 1));
        }

        return array;
    }

    private JsonObject RandomObject(int depth)
    {
        var json = new JsonObject();
        for (var index = _random.Next(0, 6); index > 0; index--)
        {
            json[_random.Next(3) == 0 ? RandomText(_random.Next(1, 8)) : Members[_random.Next(Members.Length)]] = RandomValue(depth + 1);
        }

        return json;
    }

    /// <summary>Mostly well-formed JSON-RPC messages, with members left out or given values of the wrong type.</summary>
    private JsonObject MessageLike()
    {
        var message = new JsonObject();
        if (_random.Next(8) != 0)
        {
            message["jsonrpc"] = _random.Next(10) == 0 ? RandomValue(5) : "2.0";
        }

        if (_random.Next(4) != 0)
        {
            message["id"] = _random.Next(4) switch
            {
                0 => RandomValue(5),
                1 => RandomText(_random.Next(0, 10)),
                _ => _random.NextInt64(-1000, long.MaxValue),
            };
        }

        switch (_random.Next(4))
        {
            case 0:
                message["result"] = _random.Next(5) == 0 ? RandomValue(3) : RandomObject(3);
                break;
            case 1:
                message["error"] = _random.Next(4) == 0
                    ? RandomValue(3)
                    : new JsonObject { ["code"] = _random.Next(-33000, 0), ["message"] = RandomText(10), ["data"] = RandomValue(4) };
                break;
            default:
                message["method"] = _random.Next(10) == 0 ? RandomValue(5) : Methods[_random.Next(Methods.Length)];
                if (_random.Next(3) != 0)
                {
                    message["params"] = _random.Next(6) == 0 ? RandomValue(3) : RandomObject(2);
                }

                break;
        }

        return message;
    }

    /// <summary>Seed envelopes (<c>{id, type, method, params, result, error}</c>), sometimes malformed.</summary>
    private JsonObject EnvelopeLike()
    {
        var envelope = MessageLike();
        envelope.Remove("jsonrpc");
        string[] types = ["request", "response", "notification", "Request", "", "event"];
        envelope["type"] = _random.Next(8) == 0 ? RandomValue(5) : types[_random.Next(types.Length)];
        if (_random.Next(3) == 0)
        {
            envelope["method"] = "tool_call";
            envelope["params"] = _random.Next(4) == 0 ? RandomValue(3) : new JsonObject { ["tool_name"] = RandomValue(5), ["parameters"] = RandomValue(2) };
        }

        return envelope;
    }

    private byte[] Mutate(byte[] frame)
    {
        var bytes = new List<byte>(frame);
        for (var mutations = _random.Next(1, 4); mutations > 0 && bytes.Count > 0; mutations--)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)_random.Next(0x20, 0x7F);
                    break;
                case 1:
                    bytes.RemoveRange(at, _random.Next(1, Math.Min(8, bytes.Count - at) + 1));
                    break;
                case 2:
                    bytes.InsertRange(at, Utf8(new[] { "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "1e999", "-", "\"id\":" }[_random.Next(12)]));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(_random.Next(1, 16), bytes.Count - at)));
                    break;
                default:
                    bytes.InsertRange(at, Utf8(RandomText(3)));
                    break;
            }
        }

        return [.. bytes];
    }

    private string Deep()
    {
        var depth = _random.Next(1, 300);
        var inner = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            inner.Append(_random.Next(2) == 0 ? "[" : "{\"a\":");
        }

        var closed = _random.Next(4) != 0;
        var text = inner.ToString();
        if (closed)
        {
            var closing = new StringBuilder("0");
            for (var index = text.Length - 1; index >= 0; index--)
            {
                if (text[index] == '[')
                {
                    closing.Append(']');
                }
                else if (text[index] == '{')
                {
                    closing.Append('}');
                }
            }

            text += closing;
        }

        return _random.Next(2) == 0 ? text : """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":""" + text + "}}";
    }

    private string Huge()
    {
        var payload = new string((char)_random.Next('a', 'z' + 1), _random.Next(64 * 1024, 512 * 1024));
        return _random.Next(2) == 0
            ? "{\"jsonrpc\":\"2.0\",\"id\":\"" + payload + "\",\"method\":\"" + payload + "\",\"params\":{\"" + payload + "\":\"" + payload + "\"}}"
            : "{\"id\":1,\"type\":\"request\",\"method\":\"tool_call\",\"params\":{\"tool_name\":\"calculator\",\"parameters\":{\"expression\":\"" + payload + "\"}}}";
    }

    private string RandomText(int length)
    {
        var text = new StringBuilder(length);
        for (var index = 0; index < length; index++)
        {
            var kind = _random.Next(10);
            text.Append(kind switch
            {
                0 => (char)_random.Next(0, 0x20),
                1 => char.ConvertFromUtf32(_random.Next(0x1F600, 0x1F650)),
                2 => (char)_random.Next(0x80, 0x800),
                3 => "\\\"{}[]:,"[_random.Next(8)],
                _ => (char)_random.Next(0x20, 0x7F),
            });
        }

        return text.ToString();
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 256)];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Whether a frame holds an object with a member name twice (JsonDocument tolerates it; JsonNode does not).</summary>
    public static bool HasRepeatedMember(byte[] frame)
    {
        try
        {
            using var lenient = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = 1000 });
        }
        catch (JsonException)
        {
            return false;
        }

        try
        {
            using var strict = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = 1000, AllowDuplicateProperties = false });
            return false;
        }
        catch (JsonException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a frame holds a string or member name that cannot be read as UTF-16: invalid UTF-8 bytes
    /// inside it, or an escaped lone surrogate such as <c>"\uDE00"</c>.
    /// </summary>
    public static bool HasUnreadableString(byte[] frame)
    {
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 1000 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        return false;
    }
}
