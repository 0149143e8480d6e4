using System.Collections.Concurrent;
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
}
