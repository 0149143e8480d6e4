using McpGateway.Connectors.Routing;
using McpGateway.Mcp.Upstream;
using Microsoft.Extensions.Options;

namespace McpGateway.Connectors;

/// <summary>Says at start-up when discover-mode connectors may follow their server to any authorization server.</summary>
internal sealed class ConnectorIssuerWarning(ConnectorCatalog connectors, IOptions<McpUpstreamOptions> upstream, ILogger<ConnectorIssuerWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (upstream.Value.AllowedIssuers.Count == 0 && connectors.All.Any(connector => connector.Authorization == ConnectorAuthorization.Discover))
        {
            ConnectorsLog.IssuersUnrestricted(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
