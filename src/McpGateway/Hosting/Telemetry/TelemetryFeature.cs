using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace McpGateway.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry metrics on <c>/metrics</c> in Prometheus format; when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set, metrics and traces (ASP.NET Core, HttpClient, YARP, the gateway's own spans) also go to OTLP.
/// </summary>
internal static class TelemetryFeature
{
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IHostApplicationBuilder AddGatewayTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GatewayTelemetry>();
        builder.Services.AddHostedService<TelemetryGauges>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mcp-gateway", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayTelemetry.Name, "Yarp.ReverseProxy")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .DropHotPathInstruments()
                .AddPrometheusExporter());
        if (ExportsTraces(builder.Configuration))
        {
            // Spans are recorded only when they have somewhere to go: with no exporter they would cost every request for nothing.
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(GatewayTelemetry.Name, "Yarp.ReverseProxy")
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Whether spans are recorded and exported: only when an OTLP endpoint is set.</summary>
    public static bool ExportsTraces(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

    public static WebApplication MapGatewayMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private static bool IsProbe(PathString path)
        => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(MetricsPath);
}
