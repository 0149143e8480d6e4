using McpGateway.Sessions;

namespace McpGateway.Connectors;

/// <summary>
/// The bearer token of one user for one <c>discover</c>-mode connector, kept encrypted in the user's session and
/// refreshed single-flight across replicas. It is meant for that server only (its <c>resource</c>).
/// </summary>
internal interface IConnectorCredentials
{
    /// <exception cref="ConnectorAuthorizationRequiredException">The user has not authorized the server (or no longer: refresh failed, revoked).</exception>
    /// <exception cref="Mcp.Upstream.UpstreamUnavailableException">The authorization server cannot be reached right now.</exception>
    Task<string> GetAccessTokenAsync(SessionId session, Connector connector, CancellationToken cancellationToken);

    /// <summary>The server answered 401 to <paramref name="rejected"/>: a refreshed token to retry with once, or null when none can be had.</summary>
    Task<string?> ReplaceRejectedAsync(SessionId session, Connector connector, string rejected, CancellationToken cancellationToken);

    /// <summary>The server answered 403 insufficient_scope demanding <paramref name="scope"/> (MCP step-up): the next authorization asks for it too.</summary>
    Task InsufficientScopeAsync(SessionId session, Connector connector, string scope, CancellationToken cancellationToken);
}
