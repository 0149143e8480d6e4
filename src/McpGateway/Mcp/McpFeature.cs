using McpGateway.Mcp.Rest;
using McpGateway.Mcp.Upstream;
using Microsoft.Extensions.Options;

namespace McpGateway.Mcp;

/// <summary>The MCP WebSocket bridge: <c>GET /mcp</c>, the two browser dialects, and the upstream sessions with the user's token.</summary>
internal static class McpFeature
{
    public const string Path = "/mcp";

    public static IHostApplicationBuilder AddGatewayMcp(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<McpOptions>().BindConfiguration(McpOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpOptions>, McpOptionsValidator>();
        services.AddOptions<McpUpstreamOptions>().BindConfiguration(McpUpstreamOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpUpstreamOptions>, McpUpstreamOptionsValidator>();

        services.AddSingleton<UpstreamConnectionPool>();
        services.AddSingleton<IUpstreamSessionFactory, UpstreamSessionFactory>();
        services.AddSingleton<GatewayRequestHandler>();
        services.AddSingleton<ResultAugmenter>();
        services.AddSingleton<McpSocketRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<McpSocketRegistry>());
        services.AddSingleton<McpWebSocketEndpoint>();
        services.AddSingleton<UpstreamToolClient>();
        return builder;
    }

    public static WebApplication MapGatewayMcp(this WebApplication app)
    {
        app.UseWebSockets();
        app.Map(Path, (HttpContext context, McpWebSocketEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithTags("MCP")
            .WithSummary("WebSocket bridge to the MCP upstream (subprotocol mcp or mcp-v1); see the README for the protocol.")
            .ExcludeFromDescription();
        app.MapToolEndpoints();
        return app;
    }
}
