using McpGateway.Mcp.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpGateway.Connectors.Routing;

/// <summary>
/// A routed session's upstream sessions by connector name: what a resumable socket's binding keeps
/// (<see cref="McpSessionBinding.Connectors"/>), and how another replica's router continues them.
/// </summary>
internal static class ConnectorSessionMap
{
    /// <summary>Each connector holding a session (connected, or resumed and not used yet); one without a session is left out.</summary>
    public static IReadOnlyDictionary<string, ConnectorSessionBinding> Of(IEnumerable<ConnectorLink> links)
    {
        var sessions = new Dictionary<string, ConnectorSessionBinding>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (link.Link.ResumableSessionId is { } id)
            {
                sessions[link.Connector.Name] = new ConnectorSessionBinding { SessionId = id, ProtocolVersion = link.Link.ProtocolVersion };
            }
        }

        return sessions;
    }

    /// <summary>
    /// Each connector with a session in <paramref name="stored"/> joins it (one its server forgot is replaced by a new one
    /// on first use, as any lost session is); one without opens a new session, initialized with <paramref name="initialize"/>.
    /// </summary>
    public static void Resume(IEnumerable<ConnectorLink> links, JsonRpcRequest initialize, IReadOnlyDictionary<string, ConnectorSessionBinding>? stored)
    {
        foreach (var link in links)
        {
            var session = stored?.GetValueOrDefault(link.Connector.Name);
            link.Link.Resume(session?.SessionId, initialize, protocolVersion: session?.ProtocolVersion);
            link.Initialized = true;
        }
    }
}
