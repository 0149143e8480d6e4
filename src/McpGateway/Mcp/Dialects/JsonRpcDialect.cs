using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Dialects;

/// <summary>Subprotocol <c>mcp</c>: the browser is an MCP client speaking JSON-RPC 2.0, one message per text frame.</summary>
internal sealed class JsonRpcDialect : IMcpDialect
{
    public const string SubProtocol = "mcp";

    public string Name => SubProtocol;

    public JsonRpcMessage? Decode(ReadOnlyMemory<byte> frame, out JsonRpcError? error)
    {
        try
        {
            return JsonRpcCodec.Decode(frame, out error);
        }
        catch (Exception ex) when (JsonRpcCodec.IsUnreadable(ex))
        {
            error = JsonRpcCodec.Unreadable();
            return null;
        }
    }

    public byte[] Encode(JsonRpcMessage message) => JsonRpcCodec.Serialize(message);
}
