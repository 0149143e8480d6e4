using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// The HTTP requests of the Streamable HTTP transport, as an MCP client sends them: a JSON-RPC message POSTed as
/// <c>application/json</c> accepting JSON or an event stream, the session's <c>Mcp-Session-Id</c> (revisions that have
/// sessions), <c>MCP-Protocol-Version</c>, and the 2026-07-28 routing headers <c>Mcp-Method</c> and <c>Mcp-Name</c>
/// (the values <see cref="HeaderBoundValues"/> checked first).
/// </summary>
internal static class UpstreamRequests
{
    public const string SessionHeader = "Mcp-Session-Id";
    public const string ProtocolVersionHeader = "MCP-Protocol-Version";
    public const string LastEventIdHeader = "Last-Event-ID";
    private const string MethodHeader = "Mcp-Method";
    private const string NameHeader = "Mcp-Name";

    /// <summary>The first revision without HTTP sessions: its requests carry their version in <c>_meta</c> and no session id.</summary>
    private const string SessionlessRevision = "2026-07-28";
    private const string ProtocolVersionMeta = "io.modelcontextprotocol/protocolVersion";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    public static HttpRequestMessage Post(Uri endpoint, JsonRpcMessage message, string? sessionId, string? protocolVersion)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(message, JsonRpcCodec.MessageType));
        content.Headers.ContentType = JsonContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        AddSession(request, sessionId, VersionOf(message) ?? protocolVersion);
        AddRouting(request, message);
        return request;
    }

    /// <summary>A GET of the session's event stream: the standalone stream, or with <paramref name="lastEventId"/> a stream resumed after it.</summary>
    public static HttpRequestMessage Get(Uri endpoint, string? sessionId, string? protocolVersion, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        AddSession(request, sessionId, protocolVersion);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation(LastEventIdHeader, lastEventId);
        }

        return request;
    }

    public static HttpRequestMessage Delete(Uri endpoint, string sessionId, string? protocolVersion)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, endpoint);
        AddSession(request, sessionId, protocolVersion);
        return request;
    }

    /// <summary>The revision a 2026-07-28 request names in its own <c>_meta</c> (its first request comes before any negotiation).</summary>
    public static string? VersionOf(JsonRpcMessage message)
        => message is JsonRpcRequest { Params: JsonObject parameters }
           && parameters["_meta"] is JsonObject meta
           && meta[ProtocolVersionMeta] is JsonValue value
           && value.TryGetValue<string>(out var version)
            ? version
            : null;

    private static void AddSession(HttpRequestMessage request, string? sessionId, string? protocolVersion)
    {
        if (sessionId is not null && (protocolVersion is null || string.CompareOrdinal(protocolVersion, SessionlessRevision) < 0))
        {
            request.Headers.TryAddWithoutValidation(SessionHeader, sessionId);
        }

        if (protocolVersion is not null)
        {
            request.Headers.TryAddWithoutValidation(ProtocolVersionHeader, protocolVersion);
        }
    }

    private static void AddRouting(HttpRequestMessage request, JsonRpcMessage message)
    {
        var (method, parameters) = message switch
        {
            JsonRpcRequest call => (call.Method, call.Params),
            JsonRpcNotification notification => (notification.Method, notification.Params),
            _ => (null, null),
        };
        if (method is null)
        {
            return;
        }

        request.Headers.TryAddWithoutValidation(MethodHeader, method);
        var member = message is JsonRpcRequest ? HeaderBoundValues.NamedBy(method) : null;
        if (member is not null && parameters is JsonObject values && values[member] is JsonValue value && value.TryGetValue<string>(out var name))
        {
            request.Headers.TryAddWithoutValidation(NameHeader, name);
        }
    }
}
