using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>
/// Browser hardening on every answer: no MIME sniffing, no framing, no Referer (an authorization code
/// or a path must not leak to another site), and a content security policy that lets the frontend
/// talk only to its own origin (and its WebSocket) and load nothing from elsewhere.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, IOptions<GatewayOptions> gateway)
{
    private readonly bool _https = gateway.Value.IsHttps;
    private readonly string _policy = string.Join("; ",
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self' " + (gateway.Value.IsHttps ? "wss://" : "ws://") + gateway.Value.PublicOriginUri.Authority,
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'");

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (!context.Request.Path.StartsWithSegments("/swagger"))
        {
            // Swagger UI brings its own inline bootstrap; everything else is held to the strict policy.
            headers.ContentSecurityPolicy = _policy;
        }

        if (_https)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }

        return next(context);
    }
}
