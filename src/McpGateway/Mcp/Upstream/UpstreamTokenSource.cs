using McpGateway.Auth.Tokens;
using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// The current access token of one socket's session, refreshed by the token service when needed.
/// The socket keeps the last token set it got and uses it while it is fresh: an upstream request
/// then costs no session read. (An ended session closes the socket through its event.)
/// </summary>
internal sealed class UpstreamTokenSource(SessionTokenService tokens, SessionId session)
{
    private SessionTokens? _last;

    /// <exception cref="SessionEndedException">The session ended: the socket must close.</exception>
    /// <exception cref="UpstreamUnavailableException">The token could not be refreshed right now.</exception>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _last) is { } last && tokens.IsFresh(last))
        {
            return last.AccessToken;
        }

        var token = await tokens.GetAccessTokenAsync(session, cancellationToken);
        if (token.Tokens is not null)
        {
            Volatile.Write(ref _last, token.Tokens);
        }

        return token.Failure switch
        {
            AccessTokenFailure.None => token.AccessToken!,
            AccessTokenFailure.SessionExpired => throw new SessionEndedException("The session has ended (" + token.Detail + "); sign in again."),
            _ => throw new UpstreamUnavailableException("The access token could not be refreshed (" + token.Detail + ")."),
        };
    }
}
