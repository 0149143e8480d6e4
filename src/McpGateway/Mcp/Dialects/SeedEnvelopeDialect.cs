using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Dialects;

/// <summary>
/// Subprotocol <c>mcp-v1</c>: the seed's envelope <c>{id, type: request|response|notification, method,
/// params, result, error}</c>, translated one-to-one to JSON-RPC: <c>tool_call {tool_name, parameters}</c>
/// ↔ <c>tools/call {name, arguments}</c>, <c>context_store</c> ↔ <c>context/store</c>,
/// <c>context_update</c> ↔ <c>notifications/context/updated</c>, <c>auth</c> ↔ <c>gateway/auth</c>;
/// any other method keeps its name.
/// </summary>
internal sealed class SeedEnvelopeDialect : IMcpDialect
{
    public const string SubProtocol = "mcp-v1";

    private static readonly Dictionary<string, string> ToJsonRpc = new(StringComparer.Ordinal)
    {
        ["tool_call"] = GatewayMethods.ToolsCall,
        ["context_store"] = GatewayMethods.ContextStore,
        ["context_list"] = GatewayMethods.ContextList,
        ["context_delete"] = GatewayMethods.ContextDelete,
        ["context_update"] = GatewayMethods.ContextUpdated,
        ["auth"] = GatewayMethods.Auth,
    };

    private static readonly Dictionary<string, string> ToSeed = ToJsonRpc.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public string Name => SubProtocol;

    public JsonRpcMessage? Decode(ReadOnlyMemory<byte> frame, out JsonRpcError? error)
    {
        try
        {
            var envelope = JsonRpcCodec.ParseObject(frame, out error);
            return envelope is null ? null : Translate(envelope, out error);
        }
        catch (Exception ex) when (JsonRpcCodec.IsUnreadable(ex))
        {
            error = JsonRpcCodec.Unreadable();
            return null;
        }
    }

    public byte[] Encode(JsonRpcMessage message)
    {
        var json = JsonRpcCodec.ToObject(message);
        json.Remove("jsonrpc");
        switch (message)
        {
            case JsonRpcRequest request:
                json["type"] = "request";
                json["method"] = ToSeed.GetValueOrDefault(request.Method, request.Method);
                if (request.Method == GatewayMethods.ToolsCall && json["params"] is JsonObject call)
                {
                    json["params"] = ToolCallToSeed(call);
                }

                break;
            case JsonRpcNotification notification:
                json["type"] = "notification";
                json["method"] = ToSeed.GetValueOrDefault(notification.Method, notification.Method);
                break;
            default:
                json["type"] = "response";
                break;
        }

        return JsonSerializer.SerializeToUtf8Bytes(json, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonObject)));
    }

    private static JsonRpcMessage? Translate(JsonObject envelope, out JsonRpcError? error)
    {
        var type = envelope["type"]?.GetValueKind() == JsonValueKind.String ? (string?)envelope["type"] : null;
        var message = new JsonObject { ["jsonrpc"] = "2.0" };
        switch (type)
        {
            case "request" or "notification":
                if (type == "request")
                {
                    // "type" decides the kind: a request needs an id, a notification's id is ignored.
                    if (envelope["id"] is not { } id)
                    {
                        error = JsonRpcCodec.Error(null, McpErrorCode.InvalidRequest, "Invalid request: a request envelope needs an \"id\" (a string or an integer).");
                        return null;
                    }

                    message["id"] = id.DeepClone();
                }

                var method = envelope["method"]?.GetValueKind() == JsonValueKind.String ? (string)envelope["method"]! : null;
                message["method"] = method is null ? null : ToJsonRpc.GetValueOrDefault(method, method);
                if (envelope["params"] is { } parameters)
                {
                    message["params"] = method == "tool_call" ? ToolCallToJsonRpc(parameters) : parameters.DeepClone();
                }

                break;

            case "response":
                message["id"] = envelope["id"]?.DeepClone();
                if (envelope["error"] is { } failure)
                {
                    message["error"] = failure.DeepClone();
                }
                else
                {
                    message["result"] = envelope["result"]?.DeepClone() ?? new JsonObject();
                }

                break;

            default:
                error = JsonRpcCodec.Error(JsonRpcCodec.RecoverId(envelope), McpErrorCode.InvalidRequest,
                    "Invalid request: \"type\" must be \"request\", \"response\" or \"notification\".");
                return null;
        }

        var translated = JsonRpcCodec.ToMessage(message, out error);
        if (error is not null && error.Id.Id is null && JsonRpcCodec.RecoverId(envelope) is { } envelopeId)
        {
            // Even a refused envelope is answered with its id, so the client can match the error.
            error = new JsonRpcError { Id = envelopeId, Error = error.Error };
        }

        return translated;
    }

    private static JsonNode ToolCallToJsonRpc(JsonNode parameters)
        => parameters is JsonObject call
            ? Rename(call, name => name switch { "tool_name" => "name", "parameters" => "arguments", _ => name })
            : parameters.DeepClone();

    private static JsonObject ToolCallToSeed(JsonObject call)
        => Rename(call, name => name switch { "name" => "tool_name", "arguments" => "parameters", _ => name });

    private static JsonObject Rename(JsonObject source, Func<string, string> rename)
    {
        var renamed = new JsonObject();
        foreach (var (name, value) in source)
        {
            renamed[rename(name)] = value?.DeepClone();
        }

        return renamed;
    }
}
