using McpGateway.Auth.Dpop;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace McpGateway.Proxy;

/// <summary>
/// YARP's own extension point for the token: routes marked with <see cref="ChatProxyConfig.AttachAccessToken"/>
/// forward <c>Authorization: Bearer</c> with the session's current token, and never the browser's
/// cookies or CSRF header. A DPoP-bound token (RFC 9449) goes as <c>Authorization: DPoP</c> with a proof of the
/// session key for this request's method and URL, carrying the upstream's latest nonce. A nonce challenge (401
/// <c>use_dpop_nonce</c>, RFC 9449 §9) is not passed on: its body is suppressed and <see cref="NonceRetryItem"/> asks
/// <see cref="ChatProxyGuard"/> to forward the (buffered) request once more, now with the nonce.
/// </summary>
internal sealed class AccessTokenTransformProvider(DpopProofFactory proofs, DpopNonces nonces) : ITransformProvider
{
    private const string AuthorizationHeader = "Authorization";

    /// <summary>The <see cref="HttpContext.Items"/> key set when the upstream asked for a DPoP nonce and the request should be forwarded again.</summary>
    public static readonly object NonceRetryItem = new();

    /// <summary>Set on the second forwarding, so a second challenge is passed on.</summary>
    public static readonly object NonceRetriedItem = new();

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (context.Route.Metadata?.GetValueOrDefault(ChatProxyConfig.AttachAccessToken) != "true")
        {
            return;
        }

        context.AddRequestHeaderRemove("Cookie");
        context.AddRequestHeaderRemove("X-CSRF");
        context.AddRequestTransform(transform =>
        {
            var token = transform.HttpContext.Features.Get<ProxiedAccessToken>()
                ?? throw new InvalidOperationException("No access token was obtained for this proxied request.");
            // The browser's own Authorization header (if any) was copied: replace it, with the prepared value as it is.
            var headers = transform.ProxyRequest.Headers;
            headers.Remove(AuthorizationHeader);
            headers.TryAddWithoutValidation(AuthorizationHeader, token.AuthorizationHeader);
            headers.Remove(DpopProofFactory.HeaderName);
            if (token.Tokens.IsDpopBound)
            {
                var target = RequestUtilities.MakeDestinationAddress(transform.DestinationPrefix, transform.Path, QueryString.Empty);
                var method = HttpMethod.Parse(transform.HttpContext.Request.Method);
                headers.TryAddWithoutValidation(DpopProofFactory.HeaderName,
                    proofs.Create(token.Tokens.DpopKey!, method, target, token.Tokens.AccessToken, nonces.For(target)));
            }

            return ValueTask.CompletedTask;
        });
        context.AddResponseTransform(async transform =>
        {
            // A bearer token's answer carries nothing to keep: every chat response passes here.
            if (transform.HttpContext.Features.Get<ProxiedAccessToken>()?.Tokens.IsDpopBound != true
                || transform.ProxyResponse is not { RequestMessage.RequestUri: { } target } response
                || nonces.Remember(target, response) is null)
            {
                return;
            }

            var items = transform.HttpContext.Items;
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized
                && !items.ContainsKey(NonceRetriedItem)
                && await DpopNonces.IsNonceChallengeAsync(response, transform.HttpContext.RequestAborted))
            {
                transform.SuppressResponseBody = true;
                items[NonceRetryItem] = true;
            }
        });
    }
}
