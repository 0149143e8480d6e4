using McpGateway.Auth;
using McpGateway.Auth.Endpoints;
using McpGateway.Connectors;
using McpGateway.Contexts;
using McpGateway.Hosting;
using McpGateway.Hosting.OpenApi;
using McpGateway.Hosting.Telemetry;
using McpGateway.Limits;
using McpGateway.Mcp;
using McpGateway.Proxy;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tools;
using McpGateway.Usage;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayHosting();
builder.AddGatewayTelemetry();
builder.AddGatewayStorage();
builder.AddGatewaySessions();
builder.AddGatewayAuth();
builder.AddGatewayContexts();
builder.AddGatewayTools();
builder.AddGatewayMcp();
builder.AddGatewayConnectors();
builder.AddGatewayUsage();
builder.AddGatewayRateLimits();
builder.AddGatewayProxy();
builder.AddGatewayOpenApi();

var app = builder.Build();
app.UseGatewayHosting();
app.UseGatewayFrontend();
app.MapGatewayOpenApi();
app.UseGatewayAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapGatewayHealth();
app.MapGatewayMetrics();
app.MapAuthEndpoints();
app.MapContextEndpoints();
app.MapGatewayMcp();
app.MapGatewayConnectors();
app.MapUsageEndpoints();
app.MapGatewayProxy();
app.MapGatewayFrontendFallback();

return await app.RunGatewayAsync(args);

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
