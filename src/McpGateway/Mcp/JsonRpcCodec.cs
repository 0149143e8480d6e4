using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>
/// Reads and writes JSON-RPC 2.0 messages with the MCP SDK's own serialization, after checking the
/// structure itself so that a bad frame gets the precise JSON-RPC error: -32700 for text that is
/// not JSON, -32600 for JSON that is not a valid single message. <see cref="Decode"/> builds the
/// common messages (requests, notifications) from one parse, without the SDK's round trip.
/// </summary>
internal static class JsonRpcCodec
{
    /// <summary>Deeper JSON is refused: no legitimate MCP message nests this far, and parsing it costs stack.</summary>
    public const int MaxDepth = 64;

    public static readonly JsonTypeInfo<JsonRpcMessage> MessageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    // A repeated member name is refused at parse time, anywhere in the message.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>
    /// A frame to the SDK's message, or the error to answer. Requests and notifications (what a browser sends on the
    /// hot path) are classified and built from one parse of the frame; anything else, and anything the fast path is not
    /// sure of (a string it cannot read, an odd id or params), takes <see cref="ParseObject"/> + <see cref="ToMessage"/>,
    /// which give the same message and the precise error.
    /// </summary>
    public static JsonRpcMessage? Decode(ReadOnlyMemory<byte> frame, out JsonRpcError? error)
    {
        // Strings are read lazily: a frame whose text might not read (invalid UTF-8, an escaped surrogate) takes the
        // full path, which reports it exactly as before.
        var span = frame.Span;
        try
        {
            using var document = !Utf8.IsValid(span) || HasSurrogateEscape(span) ? null : JsonDocument.Parse(frame, DocumentOptions);
            if (document is not null && TryBuildRequest(document.RootElement) is { } message)
            {
                error = null;
                return message;
            }
        }
        catch (JsonException)
        {
            // Not JSON, too deep, or a repeated member: the full path names the error.
        }

        var json = ParseObject(frame, out error);
        return json is null ? null : ToMessage(json, out error);
    }

    /// <summary>Parses a frame into a JSON object, or the error to answer.</summary>
    public static JsonObject? ParseObject(ReadOnlyMemory<byte> frame, out JsonRpcError? error)
    {
        JsonNode? node;
        try
        {
            var document = JsonDocument.Parse(frame, DocumentOptions);
            node = document.RootElement.ValueKind switch
            {
                JsonValueKind.Object => JsonObject.Create(document.RootElement),
                JsonValueKind.Array => JsonArray.Create(document.RootElement),
                _ => JsonValue.Create(document.RootElement),
            };
        }
        catch (JsonException ex)
        {
            error = ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? Error(null, McpErrorCode.InvalidRequest, $"The message nests deeper than {MaxDepth} levels.")
                : ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                    ? Error(null, McpErrorCode.InvalidRequest, "Invalid request: a member name appears twice in an object.")
                    : Error(null, McpErrorCode.ParseError, "Parse error: the frame is not valid JSON.");
            return null;
        }

        if (node is JsonArray)
        {
            error = Error(null, McpErrorCode.InvalidRequest, "Invalid request: JSON-RPC batches are not supported; send one message per frame.");
            return null;
        }

        if (node is not JsonObject message)
        {
            error = Error(null, McpErrorCode.InvalidRequest, "Invalid request: a message must be a JSON object.");
            return null;
        }

        error = null;
        return message;
    }

    /// <summary>Validates a JSON-RPC 2.0 message object and converts it to the SDK's type.</summary>
    public static JsonRpcMessage? ToMessage(JsonObject message, out JsonRpcError? error)
    {
        var id = RecoverId(message);
        if (message["jsonrpc"]?.GetValueKind() != JsonValueKind.String || (string?)message["jsonrpc"] != "2.0")
        {
            error = Error(id, McpErrorCode.InvalidRequest, "Invalid request: \"jsonrpc\" must be \"2.0\".");
            return null;
        }

        if (message.ContainsKey("id") && id is null)
        {
            error = Error(null, McpErrorCode.InvalidRequest, "Invalid request: \"id\" must be a string or an integer.");
            return null;
        }

        var hasMethod = message.ContainsKey("method");
        if (hasMethod && (message["method"]?.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty((string?)message["method"])))
        {
            error = Error(id, McpErrorCode.InvalidRequest, "Invalid request: \"method\" must be a non-empty string.");
            return null;
        }

        if (hasMethod && message["params"] is { } parameters && parameters.GetValueKind() is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            error = Error(id, McpErrorCode.InvalidRequest, "Invalid request: \"params\" must be an object.");
            return null;
        }

        if (message.ContainsKey("result") && message.ContainsKey("error"))
        {
            error = Error(id, McpErrorCode.InvalidRequest, "Invalid request: a response carries either \"result\" or \"error\", not both.");
            return null;
        }

        var isResponse = message.ContainsKey("result") || message.ContainsKey("error");
        if (!hasMethod && (!isResponse || id is null))
        {
            error = Error(id, McpErrorCode.InvalidRequest, "Invalid request: a message needs a \"method\", or an \"id\" with a \"result\" or an \"error\".");
            return null;
        }

        try
        {
            var converted = message.Deserialize(MessageType);
            error = converted is null ? Error(id, McpErrorCode.InvalidRequest, "Invalid request.") : null;
            return converted;
        }
        catch (JsonException)
        {
            error = Error(id, McpErrorCode.InvalidRequest, "Invalid request: the message does not have the JSON-RPC 2.0 shape.");
            return null;
        }
    }

    /// <summary>Whether the text holds a <c>\uD800</c>–<c>\uDFFF</c> escape (half of a pair, or a lone one).</summary>
    private static bool HasSurrogateEscape(ReadOnlySpan<byte> text)
    {
        for (var at = text.IndexOf("\\u"u8); at >= 0 && at + 3 < text.Length; )
        {
            if (text[at + 2] is (byte)'d' or (byte)'D' && text[at + 3] is >= (byte)'8' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F')
            {
                return true;
            }

            var next = text[(at + 2)..].IndexOf("\\u"u8);
            at = next < 0 ? -1 : at + 2 + next;
        }

        return false;
    }

    /// <summary>A valid request or notification read from the parsed frame, or null to take the full path.</summary>
    private static JsonRpcMessage? TryBuildRequest(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0")
            || !root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String
            || root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _))
        {
            return null;
        }

        JsonNode? parameters = null;
        if (root.TryGetProperty("params", out var parametersElement))
        {
            // The frame's buffer is reused once the frame is handled: params get their own copy.
            parameters = parametersElement.ValueKind switch
            {
                JsonValueKind.Object => JsonObject.Create(parametersElement.Clone()),
                JsonValueKind.Array => JsonArray.Create(parametersElement.Clone()),
                _ => null,
            };
            if (parameters is null)
            {
                return null;
            }
        }

        try
        {
            var method = methodElement.GetString();
            if (string.IsNullOrEmpty(method))
            {
                return null;
            }

            if (!root.TryGetProperty("id", out var idElement))
            {
                return new JsonRpcNotification { Method = method, Params = parameters };
            }

            RequestId? id = idElement.ValueKind switch
            {
                JsonValueKind.String => new RequestId(idElement.GetString()!),
                JsonValueKind.Number when idElement.TryGetInt64(out var number) => new RequestId(number),
                _ => null,
            };
            return id is { } valid ? new JsonRpcRequest { Id = valid, Method = method, Params = parameters } : null;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate or invalid UTF-8 in the method or id: the full path reports it as the existing code does.
            return null;
        }
    }

    public static JsonObject ToObject(JsonRpcMessage message) => JsonSerializer.SerializeToNode(message, MessageType)!.AsObject();

    public static byte[] Serialize(JsonRpcMessage message)
    {
        if (message is JsonRpcResponse { Result: null })
        {
            // The SDK's serializer leaves out null members; a response must still say "result": null.
            var json = ToObject(message);
            json["result"] = null;
            return JsonSerializer.SerializeToUtf8Bytes(json, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonObject)));
        }

        return JsonSerializer.SerializeToUtf8Bytes(message, MessageType);
    }

    /// <summary>
    /// The error for a frame whose text cannot be read even though it parsed: a string holding a lone
    /// surrogate or invalid UTF-8 (System.Text.Json reports these only when the string is read).
    /// </summary>
    public static JsonRpcError Unreadable() => Error(null, McpErrorCode.ParseError, "Parse error: a string in the frame is not valid text (e.g. a lone surrogate).");

    public static bool IsUnreadable(Exception exception) => exception is InvalidOperationException or ArgumentException or FormatException or JsonException;

    public static JsonRpcError Error(RequestId? id, McpErrorCode code, string message) => new()
    {
        Id = id ?? default,
        Error = new JsonRpcErrorDetail { Code = (int)code, Message = message },
    };

    public static JsonRpcResponse Result(RequestId id, JsonNode? result) => new() { Id = id, Result = result };

    /// <summary>The message's id when it is a valid one, so that even an error can be matched to its request.</summary>
    public static RequestId? RecoverId(JsonObject message) => message["id"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => new RequestId(text),
        JsonValue value when value.TryGetValue<long>(out var number) => new RequestId(number),
        _ => null,
    };
}
