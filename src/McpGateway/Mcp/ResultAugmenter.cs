using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>
/// Adds the gateway to what the upstream answers: its tools in the first page of <c>tools/list</c>
/// (gateway tools win a name collision, see <see cref="ToolRegistry.MergeWith"/>), and the tools
/// capability in the <c>initialize</c> result, so a client knows to list them.
/// </summary>
internal sealed class ResultAugmenter(ToolRegistry tools)
{
    public JsonRpcMessage Augment(JsonRpcRequest request, JsonRpcMessage answer)
    {
        switch (request.Method)
        {
            case GatewayMethods.ToolsList when !HasCursor(request):
                if (answer is JsonRpcResponse listed)
                {
                    var result = listed.Result?.Deserialize<ListToolsResult>(McpJsonUtilities.DefaultOptions) ?? new ListToolsResult();
                    result.Tools = [.. tools.MergeWith(result.Tools)];
                    return new JsonRpcResponse { Id = listed.Id, Result = JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions) };
                }

                // An upstream without tools still has the gateway's.
                return answer is JsonRpcError { Error.Code: (int)McpErrorCode.MethodNotFound }
                    ? new JsonRpcResponse { Id = request.Id, Result = JsonSerializer.SerializeToNode(new ListToolsResult { Tools = [.. tools.Definitions] }, McpJsonUtilities.DefaultOptions) }
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

    private static bool HasCursor(JsonRpcRequest request) => request.Params is JsonObject parameters && parameters["cursor"] is not null;
}
