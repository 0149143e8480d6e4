using McpGateway.Connectors.Routing;
using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Tokens;
using McpGateway.Sessions;

namespace McpGateway.Connectors.Endpoints;

/// <summary>
/// Each connector's state for one session: session/none connectors are connected unless this replica saw their
/// server fail; discover-mode ones are connected when the session holds their tokens, else they need authorization,
/// or are unavailable when their authorization cannot be discovered.
/// </summary>
internal sealed class ConnectorStatusReader(ConnectorCatalog connectors, ConnectorStatusBoard board, ConnectorTokenStore tokens, ConnectorDiscoveryCache discovery)
{
    public async Task<ConnectorList> ReadAsync(SessionId session, CancellationToken cancellationToken)
    {
        var held = await tokens.GetAllAsync(session, cancellationToken);
        var states = await Task.WhenAll(connectors.All.Select(connector => StateAsync(connector, held.ContainsKey(connector.Name), cancellationToken)));
        return new ConnectorList(states);
    }

    private async Task<ConnectorStatus> StateAsync(Connector connector, bool hasTokens, CancellationToken cancellationToken)
    {
        var mode = connector.Authorization.ToString().ToLowerInvariant();
        if (connector.Authorization != ConnectorAuthorization.Discover)
        {
            return board.FailureOf(connector.Name) is { } failure
                ? new ConnectorStatus(connector.Name, mode, connector.ToolPrefix, ConnectorStatus.Unavailable, failure.Reason)
                : new ConnectorStatus(connector.Name, mode, connector.ToolPrefix, ConnectorStatus.Connected, null);
        }

        if (hasTokens)
        {
            return new ConnectorStatus(connector.Name, mode, connector.ToolPrefix, ConnectorStatus.Connected, null);
        }

        try
        {
            await discovery.GetAsync(connector, cancellationToken);
            return new ConnectorStatus(connector.Name, mode, connector.ToolPrefix, ConnectorStatus.AuthorizationRequired, null);
        }
        catch (ConnectorDiscoveryException ex)
        {
            return new ConnectorStatus(connector.Name, mode, connector.ToolPrefix, ConnectorStatus.Unavailable, ex.Message);
        }
    }
}
