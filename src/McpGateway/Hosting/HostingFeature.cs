using McpGateway.Hosting.Logging;
using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>What every request relies on: validated gateway options, JSON errors, health checks, time, the console log.</summary>
internal static class HostingFeature
{
    public static IHostApplicationBuilder AddGatewayHosting(this IHostApplicationBuilder builder)
    {
        builder.Logging.UseBatchedConsole();
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        services.AddProblemDetails();
        services.AddExceptionHandler<StoreUnavailableExceptionHandler>();
        services.AddHostedService<PlainHttpOriginWarning>();
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, KestrelSetup>();
        services.AddHealthChecks();
        return builder;
    }

    public static WebApplication UseGatewayHosting(this WebApplication app)
    {
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseMiddleware<PublicOriginMiddleware>();
        return app;
    }
}
