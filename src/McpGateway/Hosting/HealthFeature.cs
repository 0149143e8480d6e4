using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpGateway.Hosting;

/// <summary><c>/healthz</c>: the process is up. <c>/readyz</c>: Redis reachable, authority metadata read, client registered.</summary>
internal static class HealthFeature
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapGatewayHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health").AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .WithTags("Health").AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.Headers.CacheControl = "no-store";
        var checks = report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new HealthCheckResponse(entry.Value.Status.ToString(), entry.Value.Description));
        return context.Response.WriteAsJsonAsync(
            new HealthReportResponse(report.Status.ToString(), checks), GatewayJsonContext.Default.HealthReportResponse);
    }
}
