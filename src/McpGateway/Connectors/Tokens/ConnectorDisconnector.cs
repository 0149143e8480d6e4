using McpGateway.Connectors.Routing;
using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Registration;
using McpGateway.Sessions;

namespace McpGateway.Connectors.Tokens;

/// <summary>
/// Revokes a session's connector tokens (RFC 7009, refresh token first, when the authorization server has a revocation
/// endpoint) and forgets them. Forgetting never waits on revocation: an unreachable server leaves nothing stored.
/// </summary>
internal sealed class ConnectorDisconnector(
    ConnectorTokenStore store,
    ConnectorCatalog connectors,
    ConnectorDiscoveryCache discovery,
    ConnectorClients clients,
    ConnectorTokenEndpoint tokenEndpoint,
    ILogger<ConnectorDisconnector> logger)
{
    public async Task DisconnectAsync(SessionId session, Connector connector, string why, CancellationToken cancellationToken)
    {
        var tokens = await store.GetAsync(session, connector.Name, cancellationToken);
        await store.RemoveAsync(session, connector.Name, cancellationToken);
        var revoked = tokens is not null && await TryRevokeAsync(connector, tokens, cancellationToken);
        ConnectorsLog.Disconnected(logger, session.ToString(), connector.Name, why, revoked);
    }

    /// <summary>At logout: every connector the session holds tokens for.</summary>
    public async Task DisconnectAllAsync(SessionId session, CancellationToken cancellationToken)
    {
        foreach (var (name, _) in await store.GetAllAsync(session, cancellationToken))
        {
            if (connectors.Find(name) is { } connector)
            {
                await DisconnectAsync(session, connector, "logout", cancellationToken);
            }
            else
            {
                await store.RemoveAsync(session, name, cancellationToken);
            }
        }
    }

    private async Task<bool> TryRevokeAsync(Connector connector, ConnectorTokens tokens, CancellationToken cancellationToken)
    {
        try
        {
            var found = await discovery.GetAsync(connector, cancellationToken);
            var client = await clients.GetAsync(connector, found, cancellationToken);
            if (client.ClientId != tokens.ClientId)
            {
                return false;
            }

            // Revoking the refresh token first: with some servers that ends the whole grant, the access token included.
            var refreshRevoked = tokens.RefreshToken is null || await tokenEndpoint.RevokeAsync(found, client, tokens.RefreshToken, "refresh_token", cancellationToken);
            var accessRevoked = await tokenEndpoint.RevokeAsync(found, client, tokens.AccessToken, "access_token", cancellationToken);
            return refreshRevoked && accessRevoked;
        }
        catch (Exception ex) when (ex is ConnectorDiscoveryException or HttpRequestException or IOException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ConnectorsLog.RevocationFailed(logger, connector.Name, MetadataDocuments.Describe(ex));
            return false;
        }
    }
}
