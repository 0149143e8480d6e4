using McpGateway.Auth.Tokens;
using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// The current access token of one socket's session, refreshed by the token service when needed.
/// The socket keeps the last token set it got and uses it while it is fresh: an upstream request
/// then costs no session read. (An ended session closes the socket through its event.) With a
/// <c>resource</c> (RFC 8707, <see cref="Auth.AuthOptions.ResourceIndicators"/> on) it is the session's token for
/// that resource instead of the sign-in access token.
/// </summary>
internal sealed class UpstreamTokenSource(SessionTokenService tokens, SessionId session, TimeProvider time, ResourceTokenService? resourceTokens = null, string? resource = null)
{
    /// <summary>At most one early refresh per socket in this time, so an upstream that refuses every token cannot drive a refresh storm.</summary>
    private static readonly TimeSpan RejectionBackoff = TimeSpan.FromSeconds(30);

    private SessionTokens? _last;
    private long _lastReplacement = long.MinValue;

    /// <exception cref="SessionEndedException">The session ended: the socket must close.</exception>
    /// <exception cref="UpstreamUnavailableException">The token could not be refreshed right now.</exception>
    public async Task<string> GetAsync(CancellationToken cancellationToken) => (await GetTokensAsync(cancellationToken)).AccessToken;

    /// <summary>The whole token set: its access token and, for a DPoP-bound one, the key its proofs are signed with.</summary>
    /// <inheritdoc cref="GetAsync" path="/exception"/>
    public async Task<SessionTokens> GetTokensAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _last) is { } last && tokens.IsFresh(last))
        {
            return last;
        }

        return Use(resourceTokens is not null && resource is not null
            ? await resourceTokens.GetAccessTokenAsync(session, resource, cancellationToken)
            : await tokens.GetAccessTokenAsync(session, cancellationToken));
    }

    /// <summary><see cref="GetTokensAsync"/> typed for transports whose token may be absent.</summary>
    public async Task<SessionTokens?> GetNullableTokensAsync(CancellationToken cancellationToken) => await GetTokensAsync(cancellationToken);

    /// <summary>
    /// The upstream answered 401 to <paramref name="rejected"/>: a replacement token to retry with once, or null
    /// when none can be had (another early refresh of this socket happened lately, or the refresh gave the same token).
    /// </summary>
    public async Task<string?> ReplaceRejectedAsync(string rejected, CancellationToken cancellationToken)
        => (await ReplaceRejectedTokensAsync(rejected, cancellationToken))?.AccessToken;

    /// <summary><see cref="ReplaceRejectedAsync"/> with the whole token set.</summary>
    public async Task<SessionTokens?> ReplaceRejectedTokensAsync(string rejected, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastReplacement);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < RejectionBackoff)
        {
            return null;
        }

        Interlocked.Exchange(ref _lastReplacement, now);
        var replacement = Use(resourceTokens is not null && resource is not null
            ? await resourceTokens.ReplaceRejectedAsync(session, resource, rejected, cancellationToken)
            : await tokens.ReplaceRejectedAsync(session, rejected, cancellationToken));
        return replacement.AccessToken == rejected ? null : replacement;
    }

    private SessionTokens Use(AccessTokenResult token)
    {
        if (token.Tokens is not null)
        {
            Volatile.Write(ref _last, token.Tokens);
        }

        return token.Failure switch
        {
            AccessTokenFailure.None => token.Tokens!,
            AccessTokenFailure.SessionExpired => throw new SessionEndedException("The session has ended (" + token.Detail + "); sign in again."),
            _ => throw new UpstreamUnavailableException("The access token could not be refreshed (" + token.Detail + ")."),
        };
    }
}
