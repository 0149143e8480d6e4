using System.Collections.Concurrent;
using McpGateway.Connectors;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;
using McpGateway.Tests.Mcp.Upstream;

namespace McpGateway.Tests.Connectors.Routing;

/// <summary>Hands out a prepared fake session per connector (or that connector's failure), and counts the connections.</summary>
internal sealed class ConnectorSessionFactory : IUpstreamSessionFactory
{
    public ConcurrentDictionary<string, FakeUpstreamSession> Sessions { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, Exception> Failures { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>The upstream session each connector's last connection joined (null: it opened a new one).</summary>
    public ConcurrentDictionary<string, string?> Joined { get; } = new(StringComparer.Ordinal);

    public Task<IUpstreamSession> ConnectAsync(SessionId session, CancellationToken cancellationToken)
        => Task.FromException<IUpstreamSession>(new InvalidOperationException("the router names its connector"));

    public Task<IUpstreamSession> ConnectAsync(Connector connector, SessionId session, string? knownSessionId, CancellationToken cancellationToken)
    {
        Connections.AddOrUpdate(connector.Name, 1, (_, count) => count + 1);
        Joined[connector.Name] = knownSessionId;
        return Failures.TryGetValue(connector.Name, out var failure) ? Task.FromException<IUpstreamSession>(failure)
            : Sessions.TryGetValue(connector.Name, out var prepared) ? Task.FromResult<IUpstreamSession>(prepared)
            : Task.FromException<IUpstreamSession>(new UpstreamUnavailableException("it cannot be reached"));
    }
}
