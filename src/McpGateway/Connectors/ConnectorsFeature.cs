namespace McpGateway.Connectors;

/// <summary>
/// Connectors: several upstream MCP servers, each with its own authorization (<c>session</c>, <c>discover</c>, <c>none</c>),
/// and the browser surface to see and authorize them (<c>/api/connectors</c>).
/// </summary>
internal static class ConnectorsFeature
{
    public static IHostApplicationBuilder AddGatewayConnectors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConnectorStatusBoard>();
        builder.Services.AddSingleton<IConnectorCredentials, PendingConnectorCredentials>();
        return builder;
    }

    public static WebApplication MapGatewayConnectors(this WebApplication app) => app;
}
