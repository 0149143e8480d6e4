using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>
/// Reads and writes JSON-RPC 2.0 messages with the MCP SDK's own serialization, after checking the
/// structure itself so that a bad frame gets the precise JSON-RPC error: -32700 for text that is
/// not JSON, -32600 for JSON that is not a valid single message.
/// </summary>
internal static class JsonRpcCodec
{
    /// <summary>Deeper JSON is refused: no legitimate MCP message nests this far, and parsing it costs stack.</summary>
    public const int MaxDepth = 64;

    public static readonly JsonTypeInfo<JsonRpcMessage> MessageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    // A repeated member name is refused at parse time, anywhere in the message.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

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
