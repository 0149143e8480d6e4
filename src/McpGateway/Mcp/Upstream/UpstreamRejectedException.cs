using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>The upstream answered a request with a JSON-RPC error in the HTTP response itself (e.g. 400 with an error body).</summary>
internal sealed class UpstreamRejectedException(JsonRpcErrorDetail error) : Exception(error.Message)
{
    public JsonRpcErrorDetail Error { get; } = error;
}
