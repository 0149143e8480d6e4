using System.Net.Http.Headers;
using McpGateway.Auth.Dpop;
using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Puts the user's current access token on every upstream HTTP request (the POSTs, the GET stream and
/// its reconnections, the DELETE), so a socket open for hours always sends a fresh token. The
/// browser's cookie never goes upstream: the gateway's own requests carry none, and none is copied.
/// A DPoP-bound token (RFC 9449) goes as <c>Authorization: DPoP</c> with the session key on the request, so the
/// <see cref="DpopHandler"/> below adds a fresh proof for each request (and answers a nonce challenge).
/// A 401 to a token the gateway still held for valid is answered by one retry with a refreshed token
/// (RFC 6750 §3.1 invalid_token: the resource server's clock or a revocation disagreed with its expiry).
/// </summary>
internal sealed class BearerTokenHandler(UpstreamTokenSource tokens, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("Cookie");
        var current = await tokens.GetTokensAsync(cancellationToken);
        Authorize(request, current);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized
            || await tokens.ReplaceRejectedTokensAsync(current.AccessToken, cancellationToken) is not { } replacement)
        {
            return response;
        }

        // The SDK's request bodies are buffered JSON, so the same request can be sent again.
        McpLog.UpstreamRejectedToken(logger);
        response.Dispose();
        Authorize(request, replacement);
        return await base.SendAsync(request, cancellationToken);
    }

    private static void Authorize(HttpRequestMessage request, SessionTokens tokens)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue(tokens.AuthorizationScheme, tokens.AccessToken);
        if (tokens.IsDpopBound)
        {
            request.Options.Set(DpopHandler.Key, tokens.DpopKey!);
        }
    }
}
