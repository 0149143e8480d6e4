using McpGateway.Mcp.Upstream;
using Microsoft.Extensions.Options;

namespace McpGateway.Connectors;

/// <summary>
/// The configured connectors by name. Stand-in for the connector catalog (built in parallel): it resolves
/// <c>Upstreams:Mcp:Url</c> (the <c>default</c> connector) and <c>Upstreams:Mcp:Servers:{name}</c> the same way,
/// and is the one class to swap for the catalog once it lands.
/// </summary>
internal sealed class ConnectorLookup(IOptions<McpUpstreamOptions> options)
{
    private readonly Lazy<IReadOnlyList<Connector>> _all = new(() => Resolve(options.Value));

    public IReadOnlyList<Connector> All => _all.Value;

    public Connector? Find(string name) => All.FirstOrDefault(connector => connector.Name == name);

    private static List<Connector> Resolve(McpUpstreamOptions upstream)
    {
        var connectors = new List<Connector>();
        if (upstream.IsConfigured)
        {
            connectors.Add(new Connector(Connector.DefaultName, upstream.Uri, ConnectorAuthorization.Session, "", "", "", ""));
        }

        foreach (var (name, server) in upstream.Servers.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (name == Connector.DefaultName && upstream.IsConfigured || !Uri.TryCreate(server.Url, UriKind.Absolute, out var url))
            {
                continue;
            }

            connectors.Add(new Connector(name, url, server.Authorization, server.ToolPrefix ?? name + "__", server.Scopes, server.ClientId, server.ClientSecret));
        }

        return connectors;
    }
}
