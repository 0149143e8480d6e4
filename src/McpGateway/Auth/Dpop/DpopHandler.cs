using McpGateway.Auth.ClientAuthentication;

namespace McpGateway.Auth.Dpop;

/// <summary>
/// Adds a fresh DPoP proof to every request that carries a session key in its options (<see cref="Key"/>): for the
/// request's own method and URI, with <c>ath</c> when it sends a <c>DPoP</c> access token, and the origin's latest nonce.
/// A resource server that asks for a (new) nonce (401, RFC 9449 §9) gets the request once more with it: the MCP SDK's
/// request bodies are buffered JSON, so the same request can be sent again. A token endpoint's nonce error (400, §8) is
/// only remembered: its form may hold a one-time client assertion, so the caller builds a new request
/// (<see cref="McpGateway.Auth.Tokens.TokenEndpointClient"/>, <see cref="DpopCodeRedemption"/>).
/// </summary>
internal sealed class DpopHandler(DpopProofFactory proofs, DpopNonces nonces, ILogger<DpopHandler> logger, IHttpContextAccessor? contexts = null) : DelegatingHandler
{
    /// <summary>The session key the request's proof is signed with; a request without one is sent as it is.</summary>
    public static readonly HttpRequestOptionsKey<ClientSigningKey> Key = new("McpGateway.DpopKey");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Key, out var key) && SignInOf(request) is { } signIn)
        {
            // The handler's userinfo request with the token just redeemed (see DpopSignIn).
            key = signIn.Key;
            request.Headers.Authorization = new(DpopProofFactory.HeaderName, signIn.AccessToken);
        }

        if (key is null || request.RequestUri is not { } uri)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        Attach(request, key, uri, nonces.For(uri));
        var response = await base.SendAsync(request, cancellationToken);
        var nonce = nonces.Remember(uri, response);
        if (nonce is null || response.StatusCode != System.Net.HttpStatusCode.Unauthorized || !await DpopNonces.IsNonceChallengeAsync(response, cancellationToken))
        {
            return response;
        }

        DpopLog.NonceRetry(logger, uri.GetLeftPart(UriPartial.Authority), (int)response.StatusCode);
        response.Dispose();
        Attach(request, key, uri, nonce);
        response = await base.SendAsync(request, cancellationToken);
        nonces.Remember(uri, response);
        return response;
    }

    private DpopSignIn? SignInOf(HttpRequestMessage request)
        => request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } token }
           && contexts?.HttpContext?.Items[DpopSignIn.Item] is DpopSignIn signIn
           && signIn.AccessToken == token
            ? signIn
            : null;

    private void Attach(HttpRequestMessage request, ClientSigningKey key, Uri uri, string? nonce)
    {
        var accessToken = request.Headers.Authorization is { Scheme: DpopProofFactory.HeaderName, Parameter: { } token } ? token : null;
        request.Headers.Remove(DpopProofFactory.HeaderName);
        request.Headers.TryAddWithoutValidation(DpopProofFactory.HeaderName, proofs.Create(key, request.Method, uri, accessToken, nonce));
    }
}
