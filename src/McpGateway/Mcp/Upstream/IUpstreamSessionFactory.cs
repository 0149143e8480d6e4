using McpGateway.Connectors;
using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>Opens upstream sessions that carry the credentials of their connector's authorization mode.</summary>
internal interface IUpstreamSessionFactory
{
    /// <summary>A session with the first connector (<c>default</c>), or the gateway-only stand-in when none is configured.</summary>
    /// <exception cref="UpstreamUnavailableException">The server cannot be reached.</exception>
    Task<IUpstreamSession> ConnectAsync(SessionId session, CancellationToken cancellationToken);

    /// <summary>Joins the upstream session <paramref name="knownSessionId"/> (opened by another replica) instead of opening one.</summary>
    Task<IUpstreamSession> ConnectAsync(SessionId session, string? knownSessionId, CancellationToken cancellationToken)
        => ConnectAsync(session, cancellationToken);

    /// <summary>A session with <paramref name="connector"/>'s server, with its own handler chain: its token never reaches another server.</summary>
    Task<IUpstreamSession> ConnectAsync(Connector connector, SessionId session, string? knownSessionId, CancellationToken cancellationToken)
        => ConnectAsync(session, knownSessionId, cancellationToken);
}
