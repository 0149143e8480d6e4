using McpGateway.Auth.Tokens;
using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>The current access token of one socket's session, refreshed by the token service when needed.</summary>
internal sealed class UpstreamTokenSource(SessionTokenService tokens, SessionId session)
{
    /// <exception cref="SessionEndedException">The session ended: the socket must close.</exception>
    /// <exception cref="UpstreamUnavailableException">The token could not be refreshed right now.</exception>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(session, cancellationToken);
        return token.Failure switch
        {
            AccessTokenFailure.None => token.AccessToken!,
            AccessTokenFailure.SessionExpired => throw new SessionEndedException("The session has ended (" + token.Detail + "); sign in again."),
            _ => throw new UpstreamUnavailableException("The access token could not be refreshed (" + token.Detail + ")."),
        };
    }
}
