using McpGateway.Auth;
using McpGateway.Auth.Endpoints;
using McpGateway.Contexts;
using McpGateway.Hosting;
using McpGateway.Sessions;
using McpGateway.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayHosting();
builder.AddGatewayStorage();
builder.AddGatewaySessions();
builder.AddGatewayAuth();
builder.AddGatewayContexts();

var app = builder.Build();
app.UseGatewayHosting();
app.UseAuthentication();
app.UseAuthorization();
app.MapGatewayHealth();
app.MapAuthEndpoints();
app.MapContextEndpoints();

return await app.RunGatewayAsync(args);

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
