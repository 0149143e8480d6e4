using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>Opens upstream sessions that carry the user's current access token.</summary>
internal interface IUpstreamSessionFactory
{
    /// <exception cref="UpstreamUnavailableException">The server cannot be reached.</exception>
    Task<IUpstreamSession> ConnectAsync(SessionId session, CancellationToken cancellationToken);

    /// <summary>Joins the upstream session <paramref name="knownSessionId"/> (opened by another replica) instead of opening one.</summary>
    Task<IUpstreamSession> ConnectAsync(SessionId session, string? knownSessionId, CancellationToken cancellationToken)
        => ConnectAsync(session, cancellationToken);
}
