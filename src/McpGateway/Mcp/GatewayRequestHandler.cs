using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Contexts;
using McpGateway.Hosting;
using McpGateway.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>
/// The requests the gateway answers itself instead of relaying: <c>tools/call</c> of its own tools,
/// the context methods, and the seed's <c>auth</c>. Everything else is for the upstream.
/// </summary>
internal sealed class GatewayRequestHandler(ToolRegistry tools, ContextService contexts)
{
    /// <returns>The answer, or <see langword="null"/> when the request is for the upstream.</returns>
    public async Task<JsonRpcMessage?> TryHandleAsync(JsonRpcRequest request, BridgeUser user, CancellationToken cancellationToken)
    {
        switch (request.Method)
        {
            case GatewayMethods.ToolsCall when request.Params is JsonArray:
                return InvalidParams(request, "tools/call params must be an object {name, arguments}.");

            case GatewayMethods.ToolsCall when ToolName.Problem(Text(request.Params, "name")) is { } problem:
                // Refused here, before it reaches a tool, a log line or the upstream's headers.
                return InvalidParams(request, problem);

            case GatewayMethods.ToolsCall when Text(request.Params, "name") is { } name && tools.TryGet(name, out var tool):
                var arguments = request.Params is JsonObject { } call && call["arguments"] is { } given ? JsonSerializer.SerializeToElement(given, McpJsonUtilities.DefaultOptions) : EmptyObject();
                var result = await tool.InvokeAsync(arguments, new ToolInvocation(user.Subject), cancellationToken);
                return JsonRpcCodec.Result(request.Id, JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions));

            case GatewayMethods.ContextStore:
                var store = Read(request.Params, GatewayJsonContext.Default.StoreContextRequest);
                if (store is null)
                {
                    return InvalidParams(request, "params must be {conversation_id, content, metadata?, id?}.");
                }

                var (stored, storeError) = await contexts.StoreAsync(user.Subject, store, cancellationToken);
                return storeError is null
                    ? JsonRpcCodec.Result(request.Id, new JsonObject { ["context"] = JsonSerializer.SerializeToNode(stored, GatewayJsonContext.Default.ConversationContext) })
                    : InvalidParams(request, storeError.Message);

            case GatewayMethods.ContextList:
                var (list, listError) = await contexts.ListAsync(user.Subject, Text(request.Params, "conversation_id"), cancellationToken);
                return listError is null
                    ? JsonRpcCodec.Result(request.Id, JsonSerializer.SerializeToNode(new ContextList(list!), GatewayJsonContext.Default.ContextList))
                    : InvalidParams(request, listError.Message);

            case GatewayMethods.ContextDelete:
                var deleteError = await contexts.DeleteAsync(user.Subject, Text(request.Params, "conversation_id"), Text(request.Params, "id"), cancellationToken);
                return deleteError is null
                    ? JsonRpcCodec.Result(request.Id, new JsonObject { ["deleted"] = true })
                    : InvalidParams(request, deleteError.Message);

            case GatewayMethods.Auth:
                return JsonRpcCodec.Result(request.Id, new JsonObject { ["authenticated"] = true, ["sub"] = user.Subject, ["name"] = user.Name });

            default:
                return null;
        }
    }

    /// <summary>The tool a <c>tools/call</c> names, when the gateway owns it.</summary>
    public string? GatewayToolName(JsonRpcRequest request)
        => request.Method == GatewayMethods.ToolsCall && Text(request.Params, "name") is { } name && tools.TryGet(name, out _) ? name : null;

    /// <summary>The upstream tool a <c>tools/call</c> names: a valid tool name the gateway does not run itself, else <see langword="null"/>.</summary>
    public string? UpstreamToolName(JsonRpcRequest request)
        => request.Method == GatewayMethods.ToolsCall && Text(request.Params, "name") is { } name && ToolName.IsValid(name) && !tools.TryGet(name, out _) ? name : null;

    private static JsonRpcError InvalidParams(JsonRpcRequest request, string message)
        => JsonRpcCodec.Error(request.Id, McpErrorCode.InvalidParams, message);

    /// <summary>A string member of the params, or <see langword="null"/> (also when the params are not an object).</summary>
    internal static string? Text(JsonNode? parameters, string name)
        => parameters is JsonObject members && members[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static T? Read<T>(JsonNode? parameters, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return parameters is JsonObject ? parameters.Deserialize(type) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string of the params that is not text (a lone surrogate escape).
            return null;
        }
    }

    private static JsonElement EmptyObject() => JsonDocument.Parse("{}").RootElement;
}
