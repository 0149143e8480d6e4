using McpGateway.Hosting;
using McpGateway.Hosting.Telemetry;
using McpGateway.Limits;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace McpGateway.Proxy;

/// <summary><c>POST /api/v2/chat</c> through YARP to the AI server, with the session's token and without its cookie.</summary>
internal static class ProxyFeature
{
    public static IHostApplicationBuilder AddGatewayProxy(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChatUpstreamOptions>().BindConfiguration(ChatUpstreamOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChatUpstreamOptions>, ChatUpstreamOptionsValidator>();
        services.AddSingleton<IProxyConfigProvider, ChatProxyConfig>();
        var exportsTraces = TelemetryFeature.ExportsTraces(builder.Configuration);
        services.AddReverseProxy()
            .AddTransforms<AccessTokenTransformProvider>()
            .ConfigureHttpClient((_, handler) =>
            {
                // With no span recorded, a child activity per forwarded request (its tags, a traceparent of its own)
                // would cost every chat request for nothing: without a propagator the handler starts none and the
                // caller's own trace headers pass through unchanged.
                if (!exportsTraces)
                {
                    handler.ActivityHeadersPropagator = null;
                }
            });
        return builder;
    }

    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ChatUpstreamOptions>>().Value.IsConfigured)
        {
            ProxyLog.ChatUpstreamMissing(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProxyFeature)));
            app.MapPost(ChatProxyConfig.Path, () => GatewayErrors.Result(StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable,
                    "No chat server is configured (Upstreams:Chat:Url)."))
                .RequireAuthorization()
                .ExcludeFromDescription();
            return app;
        }

        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ChatProxyGuard>();
            proxy.UseLoadBalancing();
        });
        return app;
    }
}
