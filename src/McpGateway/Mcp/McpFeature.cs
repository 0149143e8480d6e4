using McpGateway.Connectors.Routing;
using McpGateway.Mcp.Rest;
using McpGateway.Mcp.Resumable;
using McpGateway.Mcp.StreamableHttp;
using McpGateway.Mcp.StreamableHttp.Resumption;
using McpGateway.Mcp.Upstream;
using McpGateway.Storage;
using Microsoft.Extensions.Options;

namespace McpGateway.Mcp;

/// <summary>
/// The MCP bridge: <c>/mcp</c> as a WebSocket (two browser dialects) and as Streamable HTTP for standard
/// MCP clients, and the upstream sessions with the user's token.
/// </summary>
internal static class McpFeature
{
    public const string Path = "/mcp";

    public static IHostApplicationBuilder AddGatewayMcp(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<McpOptions>().BindConfiguration(McpOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpOptions>, McpOptionsValidator>();
        services.AddOptions<McpUpstreamOptions>().BindConfiguration(McpUpstreamOptions.SectionName).ValidateOnStart();
        // An http issuer for discover mode is allowed exactly where an http sign-in authority is (Auth:RequireHttpsMetadata).
        services.AddSingleton<IValidateOptions<McpUpstreamOptions>>(sp
            => new McpUpstreamOptionsValidator(sp.GetRequiredService<IConfiguration>().GetValue("Auth:RequireHttpsMetadata", true)));
        services.AddSingleton<ConnectorCatalog>();

        services.AddSingleton<UpstreamConnectionPool>();
        services.AddSingleton<IUpstreamSessionFactory, UpstreamSessionFactory>();
        services.AddSingleton<GatewayRequestHandler>();
        services.AddSingleton<ResultAugmenter>();
        services.AddSingleton<McpSocketRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<McpSocketRegistry>());
        services.AddSingleton<McpWebSocketEndpoint>();
        builder.AddStore<IMcpSessionBindings, RedisMcpSessionBindings, InMemoryMcpSessionBindings>();
        builder.AddStore<IInFlightCalls, RedisInFlightCalls, InMemoryInFlightCalls>();
        builder.AddStore<IMcpEventLog, RedisMcpEventLog, InMemoryMcpEventLog>();
        services.AddSingleton<StreamResumption>();
        services.AddSingleton<McpGateway.Mcp.Resumable.SocketResumption>();
        services.AddSingleton<McpHttpSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<McpHttpSessions>());
        services.AddSingleton<McpHttpAccess>();
        services.AddSingleton<McpHttpEndpoint>();
        services.AddSingleton<UpstreamToolClient>();
        return builder;
    }

    public static WebApplication MapGatewayMcp(this WebApplication app)
    {
        // Only for requests that ask for an upgrade: the WebSocket middleware adds a handshake feature to every request it sees.
        app.UseWhen(IsUpgradeRequest, branch => branch.UseWebSockets());
        app.MapStreamableHttp(Path);
        app.MapToolEndpoints();
        return app;
    }

    /// <summary>An HTTP/1.1 <c>Upgrade</c> or an HTTP/2 extended <c>CONNECT</c>: the only requests a WebSocket can come from.</summary>
    private static bool IsUpgradeRequest(HttpContext context)
        => context.Request.Headers.Upgrade.Count > 0 || HttpMethods.IsConnect(context.Request.Method);
}
