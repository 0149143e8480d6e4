using McpGateway.Sessions;

namespace McpGateway.Connectors;

/// <summary>
/// Placeholder until the discover-mode authorization lands (issue 10, second slice): every discover-mode
/// connector reports that it needs authorization. Replaced by the real credential store; never shipped.
/// </summary>
internal sealed class PendingConnectorCredentials : IConnectorCredentials
{
    public Task<string> GetAccessTokenAsync(SessionId session, Connector connector, CancellationToken cancellationToken)
        => throw new ConnectorAuthorizationRequiredException(connector.Name, "not authorized yet");

    public Task<string?> ReplaceRejectedAsync(SessionId session, Connector connector, string rejected, CancellationToken cancellationToken)
        => Task.FromResult<string?>(null);
}
