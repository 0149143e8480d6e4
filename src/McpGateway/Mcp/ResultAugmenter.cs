using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>
/// Adds the gateway to what the upstream answers: its tools at the head of the first page of
/// <c>tools/list</c> (a gateway tool wins a name clash: the upstream's tool of that name is left
/// out), and the tools capability in the <c>initialize</c> result, so a client knows to list them.
/// The upstream's result is edited in place, so members the gateway does not know are kept; an
/// answer it cannot read passes through untouched.
/// </summary>
internal sealed class ResultAugmenter(ToolRegistry tools, ILogger<ResultAugmenter> logger)
{
    public JsonRpcMessage Augment(JsonRpcRequest request, JsonRpcMessage answer)
    {
        switch (request.Method)
        {
            case GatewayMethods.ToolsList when !HasCursor(request):
                if (answer is JsonRpcResponse { Result: JsonObject listed } response && (listed["tools"] is null or JsonArray))
                {
                    var result = listed.DeepClone().AsObject();
                    result["tools"] = Merge(listed["tools"] as JsonArray);
                    return new JsonRpcResponse { Id = response.Id, Result = result };
                }

                // An upstream without tools still has the gateway's.
                return answer is JsonRpcError { Error.Code: (int)McpErrorCode.MethodNotFound }
                    ? new JsonRpcResponse { Id = request.Id, Result = new JsonObject { ["tools"] = Merge(null) } }
                    : answer;

            case GatewayMethods.Initialize when answer is JsonRpcResponse { Result: JsonObject result } initialized && tools.Definitions.Count > 0:
                var copy = result.DeepClone().AsObject();
                if (copy["capabilities"] is not JsonObject capabilities)
                {
                    copy["capabilities"] = capabilities = new JsonObject();
                }

                capabilities["tools"] ??= new JsonObject();
                return new JsonRpcResponse { Id = initialized.Id, Result = copy };

            default:
                return answer;
        }
    }

    private JsonArray Merge(JsonArray? upstream)
    {
        var merged = new JsonArray([.. tools.Definitions.Select(tool => JsonSerializer.SerializeToNode(tool, McpJsonUtilities.DefaultOptions))]);
        foreach (var tool in upstream ?? [])
        {
            if (tool is not JsonObject entry || GatewayRequestHandler.Text(entry, "name") is not { } name)
            {
                McpLog.UnreadableUpstreamTool(logger);
                continue;
            }

            if (tools.TryGet(name, out _))
            {
                ToolsLog.UpstreamToolShadowed(logger, name);
                continue;
            }

            merged.Add(entry.DeepClone());
        }

        return merged;
    }

    private static bool HasCursor(JsonRpcRequest request) => request.Params is JsonObject parameters && parameters["cursor"] is not null;
}
