using System.Security.Claims;
using McpGateway.Hosting;
using McpGateway.Storage;

namespace McpGateway.Usage;

/// <summary>Token usage per user and model, counted from the chat answers that pass through the proxy; <c>GET /api/usage</c>.</summary>
internal static class UsageFeature
{
    public static IHostApplicationBuilder AddGatewayUsage(this IHostApplicationBuilder builder)
    {
        builder.AddStore<IUsageStore, RedisUsageStore, InMemoryUsageStore>();
        builder.Services.AddSingleton<UsageLedger>();
        builder.Services.AddHostedService<UsageFlusher>();

        return builder;
    }

    public static IEndpointRouteBuilder MapUsageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/usage", async (ClaimsPrincipal user, UsageLedger usage, CancellationToken cancellationToken) =>
                TypedResults.Json(new UsageReport(await usage.ListAsync(user.FindFirst("sub")!.Value, cancellationToken)), GatewayJsonContext.Default.UsageReport))
            .WithTags("Usage")
            .WithSummary("The signed-in user's token usage per model, from the chat answers' usage reports.")
            .RequireAuthorization();
        return app;
    }
}
