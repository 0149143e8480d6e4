using McpGateway.Connectors.Routing;
using McpGateway.Auth;
using McpGateway.Connectors.Authorization;
using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Endpoints;
using McpGateway.Connectors.Registration;
using McpGateway.Connectors.StepUp;
using McpGateway.Connectors.Tokens;
using McpGateway.Storage;
using Microsoft.Extensions.Options;

namespace McpGateway.Connectors;

/// <summary>
/// Connectors: several upstream MCP servers, each with its own authorization (<c>session</c>, <c>discover</c>, <c>none</c>),
/// and the browser surface to see and authorize them (<c>/api/connectors</c>).
/// </summary>
internal static class ConnectorsFeature
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    public static IHostApplicationBuilder AddGatewayConnectors(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ConnectorStatusBoard>();
        services.AddHostedService<ConnectorIssuerWarning>();

        // Metadata, probes and token calls to servers the configuration only names indirectly: no redirects, short timeouts.
        services.AddHttpClient(MetadataDocuments.HttpClientName, (sp, http) =>
            {
                var backchannel = sp.GetRequiredService<IOptions<AuthOptions>>().Value.BackchannelTimeout;
                http.Timeout = backchannel < MetadataTimeout ? backchannel : MetadataTimeout;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("McpGateway/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<MetadataDocuments>();
        services.AddSingleton<ConnectorDiscoverer>();
        services.AddSingleton<ConnectorDiscoveryCache>();

        services.AddSingleton<ConnectorClientDocument>();
        services.AddSingleton<ConnectorClients>();
        builder.AddStore<IConnectorClientStore, RedisConnectorClientStore, InMemoryConnectorClientStore>();

        builder.AddStore<IPendingAuthorizations, RedisPendingAuthorizations, InMemoryPendingAuthorizations>();
        services.AddSingleton<PendingAuthorizationProtector>();
        services.AddSingleton<ConnectorAuthorizer>();

        builder.AddStore<IConnectorStepUps, RedisConnectorStepUps, InMemoryConnectorStepUps>();
        services.AddSingleton<ConnectorStepUps>();

        services.AddSingleton<ConnectorTokenStore>();
        services.AddSingleton<ConnectorTokenEndpoint>();
        services.AddSingleton<ConnectorCredentials>();
        services.AddSingleton<IConnectorCredentials>(sp => sp.GetRequiredService<ConnectorCredentials>());
        services.AddSingleton<ConnectorDisconnector>();
        services.AddSingleton<ConnectorStatusReader>();
        return builder;
    }

    public static WebApplication MapGatewayConnectors(this WebApplication app)
    {
        app.MapConnectorEndpoints();
        return app;
    }
}
