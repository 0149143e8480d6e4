using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>What the gateway owes the browser for a frame.</summary>
internal enum Owed
{
    /// <summary>Exactly one message with the frame's id (a result or an error).</summary>
    AnswerWithId,

    /// <summary>Exactly one error without an id (-32700 or -32600: the frame cannot be matched to a request).</summary>
    ErrorWithoutId,

    /// <summary>A notification or a response: nothing, or (for some malformed ones) one error without an id.</summary>
    NothingOrErrorWithoutId,

    /// <summary>A request whose strings cannot be read: one answer with its id, or one error without an id.</summary>
    AnswerWithIdOrErrorWithoutId,
}

/// <summary>A frame, what the gateway owes for it, and its id as matched in answers ("s:text" or "n:number") when it is owed an answer with an id.</summary>
internal sealed record HostileFrame(string Kind, byte[] Bytes, bool Binary, Owed Owed, string? IdKey)
{
    public string Shown => Binary ? $"binary {Bytes.Length} bytes" : OpenRedirectTests.Show(Encoding.UTF8.GetString(Bytes));
}

/// <summary>
/// Generated frames for either dialect: garbage, truncated and deeply nested JSON, binary frames, batches,
/// repeated members, unreadable strings, wrong shapes, invalid and odd ids, unknown methods, known methods
/// with random params, notifications, stray responses, near-limit sizes and duplicate ids in flight. Each
/// frame says what the gateway owes in return.
/// </summary>
internal sealed class HostileFrames(Random random, bool envelope)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] KnownMethods =
    [
        "ping", "tools/list", "resources/list", "resources/templates/list", "prompts/list", "completion/complete", "resources/read", "prompts/get",
        "logging/setLevel", "tools/call", "tools/call", "tools/call", "context/store", "context/list", "context/delete", "gateway/auth",
    ];

    private static readonly string[] ToolNames = ["calculator", "file_read", "web_search", "echo", "get-sum", "no-such-tool", "", "CALCULATOR", "calculator ", "../echo"];

    private static readonly string[] EnvelopeMethods = ["tool_call", "context_store", "context_list", "context_delete", "auth", "ping", "tools/list", "context_update"];

    private int _counter;

    /// <summary>The next frames: usually one, two for a pair of requests sharing an id.</summary>
    public IEnumerable<HostileFrame> Next()
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 8 => [Garbage()],
            < 14 => [Truncated()],
            < 20 => [DeepNesting()],
            < 25 => [Binary()],
            < 38 => [Request(UnknownMethod(), RandomParams())],
            < 58 => [KnownMethodRequest()],
            < 66 => [OddIdRequest()],
            < 72 => [WrongShape()],
            < 78 => [Notification()],
            < 82 => [StrayResponse()],
            < 85 => [RepeatedMember()],
            < 88 => [Unreadable()],
            < 91 => [NotAnObject()],
            < 93 => [NearLimit()],
            _ => DuplicateIds(),
        };
    }

    private HostileFrame Garbage()
    {
        var text = random.Next(6) switch
        {
            0 => "",
            1 => new string(' ', random.Next(1, 50)),
            2 => "@" + RandomText(random.Next(1, 400), unicode: true),
            3 => "}" + RandomText(random.Next(1, 100), unicode: false),
            4 => "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}}garbage",
            _ => "nul" + RandomText(random.Next(0, 5), unicode: false),
        };
        return Text("garbage", text, Owed.ErrorWithoutId, null);
    }

    private HostileFrame Truncated()
    {
        var (json, _) = Serialize(Envelope(NextId(), "tools/call", new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = RandomText(40, unicode: false) } }), ascii: true);
        return Text("truncated", json[..random.Next(1, json.Length - 1)], Owed.ErrorWithoutId, null);
    }

    private HostileFrame DeepNesting()
    {
        var deep = random.Next(3) > 0;
        var depth = deep ? random.Next(70, 6000) : random.Next(1, 50);
        var inner = random.Next(2) == 0
            ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)
            : new string('[', depth) + new string(']', depth);
        var id = NextId();
        var head = envelope ? $"{{\"id\":\"{id}\",\"type\":\"request\",\"method\":\"context_list\",\"params\":" : $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"context/list\",\"params\":";
        if (deep && random.Next(4) == 0)
        {
            // The nesting in the id itself.
            return Text("deep id", (envelope ? "{\"type\":\"request\",\"method\":\"auth\",\"id\":" : "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":") + inner + "}", Owed.ErrorWithoutId, null);
        }

        return Text(deep ? "deep nesting" : "nesting within the limit", head + inner + "}", deep ? Owed.ErrorWithoutId : Owed.AnswerWithId, deep ? null : "s:" + id);
    }

    private HostileFrame Binary()
    {
        var bytes = new byte[random.Next(0, 2000)];
        random.NextBytes(bytes);
        if (bytes.Length > 10 && random.Next(2) == 0)
        {
            // A perfectly good request, but in a binary frame.
            bytes = Encoding.UTF8.GetBytes(Serialize(Envelope(NextId(), "ping", null), ascii: true).Json);
        }

        return new HostileFrame("binary", bytes, true, Owed.ErrorWithoutId, null);
    }

    private HostileFrame KnownMethodRequest()
    {
        var method = envelope && random.Next(2) == 0 ? EnvelopeMethods[random.Next(EnvelopeMethods.Length)] : KnownMethods[random.Next(KnownMethods.Length)];
        JsonNode? parameters = method switch
        {
            "tools/call" => new JsonObject { ["name"] = ToolNames[random.Next(ToolNames.Length)], ["arguments"] = RandomJson(3) },
            "tool_call" => new JsonObject { ["tool_name"] = ToolNames[random.Next(ToolNames.Length)], ["parameters"] = RandomJson(3) },
            "context/store" or "context_store" => new JsonObject { ["conversation_id"] = RandomIdentifier(), ["content"] = RandomJson(1), ["metadata"] = RandomJson(2) },
            "context/list" or "context/delete" or "context_list" or "context_delete" => new JsonObject { ["conversation_id"] = RandomIdentifier(), ["id"] = RandomJson(1) },
            _ => RandomParams(),
        };
        return Request(method, parameters);
    }

    private HostileFrame OddIdRequest()
    {
        JsonNode?[] valid =
        [
            "", " ", new string('i', random.Next(100, 3000)), "gateway-reinitialize", "0", "null", "\u00E9\u4E2D\U0001F600", "probe", "resp-1",
            0, -1, long.MaxValue, long.MinValue, 1, int.MaxValue,
        ];
        string[] invalid = ["1.5", "1e3", "-0.0", "9223372036854775808", "-9223372036854775809", "true", "false", "{}", "[]", "null", "[1]", "{\"id\":1}"];
        var method = envelope ? "auth" : "gateway/auth";
        if (random.Next(2) == 0)
        {
            var id = valid[random.Next(valid.Length)];
            return Text("odd valid id", Serialize(Envelope(id, method, null), ascii: random.Next(2) == 0).Json, Owed.AnswerWithId, KeyOf(id));
        }

        var raw = invalid[random.Next(invalid.Length)];
        var json = envelope ? $"{{\"id\":{raw},\"type\":\"request\",\"method\":\"{method}\"}}" : $"{{\"jsonrpc\":\"2.0\",\"id\":{raw},\"method\":\"{method}\"}}";
        return Text("invalid id", json, Owed.ErrorWithoutId, null);
    }

    private HostileFrame WrongShape()
    {
        var id = NextId();
        var key = "s:" + id;
        string[] shapes = envelope
            ?
            [
                $"{{\"id\":\"{id}\",\"method\":\"auth\"}}",
                $"{{\"id\":\"{id}\",\"type\":\"REQUEST\",\"method\":\"auth\"}}",
                $"{{\"id\":\"{id}\",\"type\":7,\"method\":\"auth\"}}",
                $"{{\"id\":\"{id}\",\"type\":\"request\"}}",
                $"{{\"id\":\"{id}\",\"type\":\"request\",\"method\":\"\"}}",
                $"{{\"id\":\"{id}\",\"type\":\"request\",\"method\":42}}",
                $"{{\"id\":\"{id}\",\"type\":\"request\",\"method\":\"auth\",\"params\":\"text\"}}",
                $"{{\"id\":\"{id}\",\"type\":\"request\",\"method\":\"tool_call\",\"params\":[1,2]}}",
            ]
            :
            [
                $"{{\"jsonrpc\":\"1.0\",\"id\":\"{id}\",\"method\":\"ping\"}}",
                $"{{\"jsonrpc\":2.0,\"id\":\"{id}\",\"method\":\"ping\"}}",
                $"{{\"id\":\"{id}\",\"method\":\"ping\"}}",
                $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"\"}}",
                $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":42}}",
                $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":null}}",
                $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\"}}",
                $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"result\":{{}},\"error\":{{\"code\":1,\"message\":\"x\"}}}}",
                $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"ping\",\"params\":\"text\"}}",
                $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"tools/call\",\"params\":[1,2]}}",
            ];
        return Text("wrong shape", shapes[random.Next(shapes.Length)], Owed.AnswerWithId, key);
    }

    private HostileFrame Notification()
    {
        string[] methods = ["notifications/message", "notifications/roots/list_changed", "notifications/progress", "x/" + RandomText(8, unicode: false), UnknownMethod()];
        var method = methods[random.Next(methods.Length)];
        var parameters = random.Next(6) == 0 ? JsonValue.Create("not an object") : RandomParams();
        var message = envelope
            ? new JsonObject { ["type"] = "notification", ["method"] = method, ["params"] = parameters }
            : new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters };
        return Text("notification", Serialize(message, ascii: false).Json, Owed.NothingOrErrorWithoutId, null);
    }

    private HostileFrame StrayResponse()
    {
        var id = "resp-" + NextId();
        var result = random.Next(2) == 0 ? (JsonNode)new JsonObject { ["result"] = RandomJson(2) } : new JsonObject { ["error"] = new JsonObject { ["code"] = random.Next(), ["message"] = RandomText(20, unicode: true) } };
        var message = envelope ? new JsonObject { ["id"] = id, ["type"] = "response" } : new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id };
        foreach (var (name, value) in result.AsObject().ToList())
        {
            message[name] = value?.DeepClone();
        }

        return Text("stray response", Serialize(message, ascii: false).Json, Owed.NothingOrErrorWithoutId, null);
    }

    private HostileFrame RepeatedMember()
    {
        var id = NextId();
        string[] frames = envelope
            ? [$"{{\"id\":\"{id}\",\"id\":\"{id}x\",\"type\":\"request\",\"method\":\"auth\"}}", $"{{\"id\":\"{id}\",\"type\":\"request\",\"type\":\"response\",\"method\":\"auth\"}}"]
            : [$"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"id\":\"{id}x\",\"method\":\"ping\"}}", $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"ping\",\"method\":\"tools/list\"}}",
               $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"ping\",\"params\":{{\"a\":1,\"a\":2}}}}"];
        return Text("repeated member", frames[random.Next(frames.Length)], Owed.ErrorWithoutId, null);
    }

    private HostileFrame Unreadable()
    {
        var id = NextId();
        string[] escapes = ["\\ud800", "\\udfff", "\\ud800\\ud800", "x\\udc00y"];
        var escape = escapes[random.Next(escapes.Length)];
        var json = envelope
            ? $"{{\"id\":\"{id}\",\"type\":\"request\",\"method\":\"tool_call\",\"params\":{{\"tool_name\":\"echo\",\"parameters\":{{\"message\":\"{escape}\"}}}}}}"
            : $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"tools/call\",\"params\":{{\"name\":\"{(random.Next(2) == 0 ? "echo" : escape)}\",\"arguments\":{{\"message\":\"{escape}\"}}}}}}";
        return Text("unreadable string", json, Owed.AnswerWithIdOrErrorWithoutId, "s:" + id);
    }

    private HostileFrame NotAnObject()
    {
        string[] values = ["1", "-1.5e300", "\"text\"", "true", "null", "[]", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", "[1,2,3]", "\"{}\""];
        var value = values[random.Next(values.Length)];
        return Text(value.StartsWith('[') ? "batch" : "not an object", value, Owed.ErrorWithoutId, null);
    }

    private HostileFrame NearLimit()
    {
        var id = NextId();
        var padding = random.Next(HostileStack.MaxFrameBytes - 9000, HostileStack.MaxFrameBytes - 200);
        var message = Envelope(id, envelope ? "tool_call" : "tools/call", envelope
            ? new JsonObject { ["tool_name"] = "echo", ["parameters"] = new JsonObject { ["message"] = new string('x', padding) } }
            : new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = new string('x', padding) } });
        return Text("near the size limit", Serialize(message, ascii: true).Json, Owed.AnswerWithId, "s:" + id);
    }

    private IEnumerable<HostileFrame> DuplicateIds()
    {
        var id = "dup-" + NextId();
        var frame = Request(envelope ? "tool_call" : "tools/call", envelope
            ? new JsonObject { ["tool_name"] = "echo", ["parameters"] = new JsonObject { ["message"] = "twice" } }
            : new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = "twice" } }, id);
        return [frame with { Kind = "duplicate id in flight" }, frame with { Kind = "duplicate id in flight" }];
    }

    private HostileFrame Request(string method, JsonNode? parameters, string? id = null)
    {
        id ??= NextId();
        return Text(method.Length > 40 ? "unknown method" : "request " + method, Serialize(Envelope(id, method, parameters), ascii: random.Next(3) == 0).Json, Owed.AnswerWithId, "s:" + id);
    }

    private JsonObject Envelope(JsonNode? id, string method, JsonNode? parameters)
    {
        var message = envelope
            ? new JsonObject { ["id"] = id?.DeepClone(), ["type"] = "request", ["method"] = method }
            : new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = parameters;
        }

        return message;
    }

    private static HostileFrame Text(string kind, string text, Owed owed, string? idKey) => new(kind, Encoding.UTF8.GetBytes(text), false, owed, idKey);

    private static (string Json, int Length) Serialize(JsonNode node, bool ascii)
    {
        var json = ascii ? node.ToJsonString() : node.ToJsonString(Relaxed);
        return (json, json.Length);
    }

    internal static string? KeyOf(JsonNode? id) => id is null ? null : KeyOf(JsonSerializer.SerializeToElement(id));

    internal static string? KeyOf(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String => "s:" + id.GetString(),
        JsonValueKind.Number when id.TryGetInt64(out var number) => "n:" + number.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Number => "n:" + id.GetRawText(),
        _ => null,
    };

    private string NextId() => "h" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture) + "-" + random.Next(1000);

    private string UnknownMethod() => random.Next(6) switch
    {
        0 => "x/" + RandomText(random.Next(1, 30), unicode: false),
        1 => RandomText(random.Next(1, 60), unicode: true),
        2 => "notifications/" + RandomText(8, unicode: false),
        3 => "rpc." + RandomText(6, unicode: false),
        4 => new string('m', random.Next(200, 5000)),
        _ => "tools/" + RandomText(6, unicode: false),
    };

    private JsonNode? RandomParams() => random.Next(8) switch
    {
        0 => null,
        1 => new JsonArray(RandomJson(2), RandomJson(2)),
        _ => RandomObject(3),
    };

    private JsonNode? RandomJson(int depth) => random.Next(depth <= 0 ? 6 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
        3 => JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(-300, 300))),
        4 => JsonValue.Create(RandomText(random.Next(0, 80), unicode: true)),
        5 => JsonValue.Create(random.Next(3) == 0 ? "../../../etc/passwd" : "1+1"),
        6 or 7 => RandomObject(depth - 1),
        _ => new JsonArray([.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomJson(depth - 1))]),
    };

    private JsonObject RandomObject(int depth)
    {
        var members = new JsonObject();
        string[] names = ["name", "arguments", "expression", "path", "query", "uri", "cursor", "level", "conversation_id", "content", "_meta", "progressToken", "ref", "argument"];
        for (var i = random.Next(0, 5); i > 0; i--)
        {
            members[random.Next(3) == 0 ? RandomText(random.Next(1, 12), unicode: true) : names[random.Next(names.Length)]] = RandomJson(depth);
        }

        return members;
    }

    private string RandomIdentifier() => random.Next(4) switch
    {
        0 => "conv-" + random.Next(100),
        1 => RandomText(random.Next(0, 200), unicode: true),
        2 => "../" + RandomText(5, unicode: false),
        _ => new string('c', random.Next(120, 140)),
    };

    private string RandomText(int length, bool unicode)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(unicode && random.Next(5) == 0
                ? random.Next(4) switch { 0 => '\u00E9', 1 => '\u4E2D', 2 => (char)random.Next(0x20, 0x7F), _ => '\u202E' }
                : (char)random.Next(0x21, 0x7F));
        }

        return text.ToString();
    }
}
