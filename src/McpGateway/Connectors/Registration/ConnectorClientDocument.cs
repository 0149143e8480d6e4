using McpGateway.Connectors.Routing;
using McpGateway.Auth;
using McpGateway.Hosting;
using Microsoft.Extensions.Options;

namespace McpGateway.Connectors.Registration;

/// <summary>
/// The gateway's connector client metadata, derived from the configuration: the same on every replica. The Client ID
/// Metadata Document variant needs an https public origin (its URL is the client_id, and authorization servers fetch it).
/// </summary>
internal sealed class ConnectorClientDocument(ConnectorCatalog connectors, IOptions<GatewayOptions> gateway, IOptions<AuthOptions> auth)
{
    public bool IsServable => gateway.Value.IsHttps;

    public string DocumentUrl => gateway.Value.Resolve(ConnectorPaths.ClientMetadataDocument).AbsoluteUri;

    /// <summary>The served document: a public client (PKCE only) whose client_id is its own URL.</summary>
    public ConnectorClientMetadata Document => Metadata(ConnectorClientAuthMethods.None) with { ClientId = DocumentUrl };

    public ConnectorClientMetadata Metadata(string tokenEndpointAuthMethod) => new()
    {
        ClientName = auth.Value.ClientName,
        ClientUri = gateway.Value.PublicOriginUri.AbsoluteUri,
        RedirectUris = [.. connectors.All.Where(connector => connector.Authorization == ConnectorAuthorization.Discover)
            .Select(connector => RedirectUri(connector.Name))],
        TokenEndpointAuthMethod = tokenEndpointAuthMethod,
    };

    public string RedirectUri(string connector) => gateway.Value.Resolve(ConnectorPaths.Callback(connector)).AbsoluteUri;
}
