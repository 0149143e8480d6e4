using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy or ingress the request Kestrel sees is not the one the browser sent.
/// Every URL the gateway builds (the OAuth redirect URI, the Secure cookie decision) must use the
/// configured public origin, so each request is stamped with its scheme and host.
/// </summary>
internal sealed class PublicOriginMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    private readonly string _scheme = options.Value.PublicOriginUri.Scheme;
    // Uri.Authority leaves out the scheme's default port, as the registered redirect URI does.
    private readonly HostString _host = new(options.Value.PublicOriginUri.Authority);

    public Task InvokeAsync(HttpContext context)
    {
        context.Request.Scheme = _scheme;
        context.Request.Host = _host;
        return next(context);
    }
}
