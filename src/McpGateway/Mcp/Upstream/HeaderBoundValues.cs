using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// The Streamable HTTP transport (<see cref="UpstreamRequests"/>) copies a message's method into the <c>Mcp-Method</c>
/// header and, for <c>tools/call</c>, <c>prompts/get</c> and <c>resources/read</c>, its name or uri into <c>Mcp-Name</c>.
/// A header carries printable ASCII only: a line break or NUL would break the request, other control characters would
/// travel to the server, and anything non-ASCII fails as if the server could not be reached. Such a message is refused
/// before it is sent.
/// </summary>
internal static class HeaderBoundValues
{
    /// <returns>The JSON-RPC error detail to answer with, or <see langword="null"/> when the message can be sent.</returns>
    public static JsonRpcErrorDetail? Problem(JsonRpcMessage message)
    {
        var (method, parameters) = message switch
        {
            JsonRpcRequest request => (request.Method, request.Params),
            JsonRpcNotification notification => (notification.Method, notification.Params),
            _ => (null, null),
        };
        if (method is null)
        {
            return null;
        }

        if (!IsPrintableAscii(method))
        {
            return Refusal(McpErrorCode.InvalidRequest, "The method name may hold only printable ASCII characters.");
        }

        var member = NamedBy(method);
        return member is not null && parameters is JsonObject values && values[member] is JsonValue value
               && value.TryGetValue<string>(out var text) && !IsPrintableAscii(text)
            ? Refusal(McpErrorCode.InvalidParams, $"params.{member} may hold only printable ASCII characters (no line breaks or other control characters).")
            : null;
    }

    /// <summary>The params member whose value goes into <c>Mcp-Name</c> for <paramref name="method"/>, if any.</summary>
    internal static string? NamedBy(string method) => method switch
    {
        RequestMethods.ToolsCall or RequestMethods.PromptsGet => "name",
        RequestMethods.ResourcesRead => "uri",
        _ => null,
    };

    internal static bool IsPrintableAscii(string value) => !value.AsSpan().ContainsAnyExceptInRange(' ', '~');

    private static JsonRpcErrorDetail Refusal(McpErrorCode code, string message) => new() { Code = (int)code, Message = message };
}
