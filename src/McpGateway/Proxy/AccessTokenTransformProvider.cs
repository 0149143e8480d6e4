using McpGateway.Auth.Dpop;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace McpGateway.Proxy;

/// <summary>
/// YARP's own extension point for the token: routes marked with <see cref="ChatProxyConfig.AttachAccessToken"/>
/// forward <c>Authorization: Bearer</c> with the session's current token, and never the browser's
/// cookies or CSRF header. A DPoP-bound token (RFC 9449) goes as <c>Authorization: DPoP</c> with a proof of the
/// session key for this request's method and URL, carrying the upstream's latest nonce. The streamed request body
/// cannot be sent twice, so a nonce challenge is not retried here: the nonce it carries is kept for the next request.
/// </summary>
internal sealed class AccessTokenTransformProvider(DpopProofFactory proofs, DpopNonces nonces) : ITransformProvider
{
    private const string AuthorizationHeader = "Authorization";

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
                var method = new HttpMethod(transform.HttpContext.Request.Method);
                headers.TryAddWithoutValidation(DpopProofFactory.HeaderName,
                    proofs.Create(token.Tokens.DpopKey!, method, target, token.Tokens.AccessToken, nonces.For(target)));
            }

            return ValueTask.CompletedTask;
        });
        context.AddResponseTransform(transform =>
        {
            if (transform.ProxyResponse is { RequestMessage.RequestUri: { } target } response)
            {
                nonces.Remember(target, response);
            }

            return ValueTask.CompletedTask;
        });
    }
}
