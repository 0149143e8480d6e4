using McpGateway.Auth.Dpop;
using McpGateway.Auth.Resources;
using McpGateway.Auth.Tokens;
using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Opens an upstream session for a socket and one connector: Streamable HTTP (the gateway's own client of the transport), or a WebSocket. Every
/// socket gets, per connector, its own handler chain (the connector's credentials, step-up detection, status
/// reporting) over one shared connection pool.
/// </summary>
internal sealed class UpstreamSessionFactory(
    ConnectorCatalog catalog,
    SessionTokenService tokens,
    ResourceTokenService resourceTokens,
    SessionResources resources,
    IConnectorCredentials credentials,
    ConnectorStatusBoard status,
    UpstreamConnectionPool pool,
    TimeProvider time,
    ILoggerFactory loggers,
    DpopProofFactory proofs,
    DpopNonces nonces) : IUpstreamSessionFactory
{
    public Task<IUpstreamSession> ConnectAsync(SessionId session, CancellationToken cancellationToken)
        => ConnectAsync(session, null, cancellationToken);

    public Task<IUpstreamSession> ConnectAsync(SessionId session, string? knownSessionId, CancellationToken cancellationToken)
        => catalog.All.Count == 0
            ? Task.FromResult<IUpstreamSession>(new GatewayOnlyUpstream())
            : ConnectAsync(catalog.All[0], session, knownSessionId, cancellationToken);

    public async Task<IUpstreamSession> ConnectAsync(Connector connector, SessionId session, string? knownSessionId, CancellationToken cancellationToken)
    {
        if (connector.IsWebSocket)
        {
            return await ConnectWebSocketAsync(connector, session, cancellationToken);
        }

        DelegatingHandler authorization = connector.Authorization switch
        {
            ConnectorAuthorization.Session => new BearerTokenHandler(TokenSource(connector, session), loggers.CreateLogger<BearerTokenHandler>()),
            ConnectorAuthorization.Discover => new ConnectorTokenHandler(credentials, session, connector),
            _ => new NoCredentialsHandler(),
        };
        // Only requests the authorization handler gave a session key get DPoP proofs (session-mode, DPoP-bound tokens).
        authorization.InnerHandler = new DpopHandler(proofs, nonces, loggers.CreateLogger<DpopHandler>())
        {
            InnerHandler = new InsufficientScopeHandler(connector.Name)
            {
                InnerHandler = new ConnectorStatusHandler(status, connector.Name) { InnerHandler = new SessionGuardHandler(time) { InnerHandler = pool.Handler } },
            },
        };

        // The per-request timeout is the bridge's: HttpClient's would cut streams whose headers come late.
        var http = new HttpClient(authorization, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        return await StreamableHttpUpstream.ConnectAsync(connector.Url, http, loggers, knownSessionId, cancellationToken, time);
    }

    /// <summary>A session-mode connector's token: the sign-in access token, or with resource indicators on its own (RFC 8707).</summary>
    private UpstreamTokenSource TokenSource(Connector connector, SessionId session)
        => new(tokens, session, time, resourceTokens, resources.For(connector));

    private async Task<IUpstreamSession> ConnectWebSocketAsync(Connector connector, SessionId session, CancellationToken cancellationToken)
    {
        Func<CancellationToken, Task<SessionTokens?>> token = connector.Authorization == ConnectorAuthorization.Session
            ? TokenSource(connector, session).GetNullableTokensAsync
            : _ => Task.FromResult<SessionTokens?>(null);
        try
        {
            var upstream = await WebSocketUpstream.ConnectAsync(connector.Url, token, cancellationToken, proofs);
            status.ReportSuccess(connector.Name);
            return upstream;
        }
        catch (UpstreamUnavailableException ex)
        {
            status.ReportFailure(connector.Name, ex.Message);
            throw;
        }
    }
}
