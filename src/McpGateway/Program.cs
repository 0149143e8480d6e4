using McpGateway.Auth;
using McpGateway.Auth.Endpoints;
using McpGateway.Contexts;
using McpGateway.Hosting;
using McpGateway.Mcp;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tools;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayHosting();
builder.AddGatewayStorage();
builder.AddGatewaySessions();
builder.AddGatewayAuth();
builder.AddGatewayContexts();
builder.AddGatewayTools();
builder.AddGatewayMcp();

var app = builder.Build();
app.UseGatewayHosting();
app.UseAuthentication();
app.UseAuthorization();
app.MapGatewayHealth();
app.MapAuthEndpoints();
app.MapContextEndpoints();
app.MapGatewayMcp();

return await app.RunGatewayAsync(args);

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
