using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace McpGateway.Proxy;

/// <summary>
/// YARP's own extension point for the token: routes marked with <see cref="ChatProxyConfig.AttachAccessToken"/>
/// forward <c>Authorization: Bearer</c> with the session's current token, and never the browser's
/// cookies or CSRF header.
/// </summary>
internal sealed class AccessTokenTransformProvider : ITransformProvider
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
            return ValueTask.CompletedTask;
        });
    }
}
