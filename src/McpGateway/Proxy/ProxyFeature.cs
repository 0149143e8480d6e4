using McpGateway.Hosting;
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
        services.AddReverseProxy().AddTransforms<AccessTokenTransformProvider>();
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
