using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace McpGateway.Connectors.Routing;

/// <summary>
/// Server-to-client requests (sampling, elicitation, roots, ping) of several servers in one browser session: each gets
/// an id the gateway issues, so two servers' ids never collide at the browser, and the browser's answer finds its way
/// back to the server that asked, with the server's own id.
/// </summary>
internal sealed class ServerRequestIds
{
    private readonly ConcurrentDictionary<RequestId, (ConnectorLink Link, RequestId Original)> _open = new();
    private long _next;

    /// <summary>The id the browser sees for <paramref name="original"/> of <paramref name="link"/>.</summary>
    public RequestId Issue(ConnectorLink link, RequestId original)
    {
        var issued = new RequestId($"gw-{link.Connector.Name}-{Interlocked.Increment(ref _next)}");
        _open[issued] = (link, original);
        return issued;
    }

    /// <summary>The browser answered <paramref name="issued"/>: whose request it was (once).</summary>
    public (ConnectorLink Link, RequestId Original)? Answer(RequestId issued)
        => _open.TryRemove(issued, out var pending) ? pending : null;

    /// <summary>The id the browser knows for a server's own <paramref name="original"/>, while that request is open.</summary>
    public RequestId? IssuedFor(ConnectorLink link, RequestId original)
        => _open.FirstOrDefault(pair => pair.Value.Link == link && pair.Value.Original.Equals(original)).Key is { Id: not null } issued ? issued : null;

    /// <summary>
    /// A message of <paramref name="link"/>'s server for the browser: a request under a gateway id, a cancellation of
    /// one under that id too; anything else as it is.
    /// </summary>
    public JsonRpcMessage ToBrowser(ConnectorLink link, JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => new JsonRpcRequest { Id = Issue(link, request.Id), Method = request.Method, Params = request.Params },
        JsonRpcNotification { Method: NotificationMethods.CancelledNotification, Params: JsonObject parameters } cancelled
            when parameters["requestId"] is JsonValue id && ToRequestId(id) is { } original && IssuedFor(link, original) is { } issued
            => new JsonRpcNotification { Method = cancelled.Method, Params = WithRequestId(parameters, issued) },
        _ => message,
    };

    /// <summary>The browser's answer to a server request, with the server's own id, and whose it is; null when it answers no open request.</summary>
    public (ConnectorLink Link, JsonRpcMessage Answer)? FromBrowser(JsonRpcMessage answer)
    {
        if (answer is not JsonRpcMessageWithId { } withId || Answer(withId.Id) is not { } pending)
        {
            return null;
        }

        JsonRpcMessage original = answer switch
        {
            JsonRpcError error => new JsonRpcError { Id = pending.Original, Error = error.Error },
            JsonRpcResponse response => new JsonRpcResponse { Id = pending.Original, Result = response.Result },
            _ => answer,
        };
        return (pending.Link, original);
    }

    private static JsonObject WithRequestId(JsonObject parameters, RequestId issued)
    {
        var rewritten = parameters.DeepClone().AsObject();
        rewritten["requestId"] = issued.ToString();
        return rewritten;
    }

    private static RequestId? ToRequestId(JsonValue value)
        => value.TryGetValue<string>(out var text) ? new RequestId(text)
            : value.TryGetValue<long>(out var number) ? new RequestId(number)
            : null;
}
