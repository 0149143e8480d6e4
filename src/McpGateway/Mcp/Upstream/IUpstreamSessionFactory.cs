using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>Opens upstream sessions that carry the user's current access token.</summary>
internal interface IUpstreamSessionFactory
{
    /// <exception cref="UpstreamUnavailableException">The server cannot be reached.</exception>
    Task<IUpstreamSession> ConnectAsync(SessionId session, CancellationToken cancellationToken);
}
