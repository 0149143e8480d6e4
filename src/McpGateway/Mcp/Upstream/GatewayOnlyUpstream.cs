using System.Text.Json.Nodes;
using System.Threading.Channels;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Stands in for the upstream when <c>Upstreams:Mcp:Url</c> is empty: a minimal MCP server in the
/// gateway that completes the handshake and lists no tools of its own, so a socket still reaches
/// the gateway's tools and contexts.
/// </summary>
internal sealed class GatewayOnlyUpstream : IUpstreamSession
{
    public const string ProtocolVersion = "2025-11-25";

    private readonly Channel<JsonRpcMessage> _messages = SessionMessageChannel.Create<JsonRpcMessage>();

    public ChannelReader<JsonRpcMessage> Messages => _messages.Reader;

    public Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (message is not JsonRpcRequest request)
        {
            return Task.CompletedTask;
        }

        JsonRpcMessage answer = request.Method switch
        {
            GatewayMethods.Initialize => new JsonRpcResponse
            {
                Id = request.Id,
                Result = new JsonObject
                {
                    ["protocolVersion"] = ProtocolVersion,
                    ["capabilities"] = new JsonObject { ["tools"] = new JsonObject() },
                    ["serverInfo"] = new JsonObject { ["name"] = "mcp-gateway", ["version"] = "1.0" },
                },
            },
            GatewayMethods.ToolsList => new JsonRpcResponse { Id = request.Id, Result = new JsonObject { ["tools"] = new JsonArray() } },
            "ping" => new JsonRpcResponse { Id = request.Id, Result = new JsonObject() },
            _ => JsonRpcCodec.Error(request.Id, McpErrorCode.MethodNotFound, $"Method '{request.Method}' is not available: the gateway has no MCP upstream configured."),
        };
        return _messages.Writer.WriteAsync(answer, cancellationToken).AsTask();
    }

    public ValueTask DisposeAsync()
    {
        _messages.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
