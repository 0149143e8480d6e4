using System.Runtime.CompilerServices;
using McpGateway.Sessions;

namespace McpGateway.Proxy;

/// <summary>
/// The access token <see cref="ChatProxyGuard"/> obtained for this request, as the <c>Authorization</c> header
/// value the transform attaches. One per token set (the session cache shares a token set between requests),
/// so a busy session's requests neither allocate it nor build the header again.
/// </summary>
internal sealed class ProxiedAccessToken
{
    private static readonly ConditionalWeakTable<SessionTokens, ProxiedAccessToken> ByTokens = new();

    private ProxiedAccessToken(SessionTokens tokens)
    {
        Tokens = tokens;
        AuthorizationHeader = tokens.AuthorizationScheme + " " + tokens.AccessToken;
    }

    /// <summary><c>Bearer</c> or, for a DPoP-bound token (RFC 9449), <c>DPoP</c>, and the token.</summary>
    public string AuthorizationHeader { get; }

    /// <summary>The token set, whose DPoP key signs the proof of each proxied request.</summary>
    public SessionTokens Tokens { get; }

    public static ProxiedAccessToken For(SessionTokens tokens) => ByTokens.GetValue(tokens, static tokens => new ProxiedAccessToken(tokens));
}
