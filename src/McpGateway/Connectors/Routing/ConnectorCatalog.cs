using McpGateway.Mcp.Upstream;
using Microsoft.Extensions.Options;

namespace McpGateway.Connectors.Routing;

/// <summary>
/// Every configured upstream MCP server, resolved once from <c>Upstreams:Mcp</c> (validated at start-up): the legacy
/// <c>Upstreams:Mcp:Url</c> first as <see cref="Connector.DefaultName"/>, then <c>Upstreams:Mcp:Servers:{name}</c> in the
/// order the configuration gives them (.NET configuration enumerates a section's keys sorted by name). That order
/// settles a tool-name collision between two servers: the earlier one wins.
/// </summary>
internal sealed class ConnectorCatalog
{
    private readonly Dictionary<string, Connector> _byName;

    public ConnectorCatalog(IOptions<McpUpstreamOptions> options)
        : this(Resolve(options.Value))
    {
    }

    public ConnectorCatalog(IReadOnlyList<Connector> connectors)
    {
        All = connectors;
        _byName = connectors.ToDictionary(connector => connector.Name, StringComparer.Ordinal);
        Names = new ToolPrefixes(connectors);
    }

    public IReadOnlyList<Connector> All { get; }

    /// <summary>Resolves <c>{prefix}{name}</c> tool and prompt names to their connector.</summary>
    public ToolPrefixes Names { get; }

    /// <summary>
    /// One server whose tools keep their names: the bridge relays to it as a pure relay (its ids, cursors and
    /// initialize answer untouched), as before connectors existed. No server at all counts too (gateway tools only).
    /// </summary>
    public bool IsSingleRelay => All.Count == 0 || (All.Count == 1 && All[0].ToolPrefix.Length == 0);

    public Connector? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The connectors as configured; call only on options that passed <see cref="McpUpstreamOptionsValidator"/>.</summary>
    public static IReadOnlyList<Connector> Resolve(McpUpstreamOptions options)
    {
        var connectors = new List<Connector>();
        if (options.IsConfigured)
        {
            connectors.Add(new Connector(Connector.DefaultName, options.Uri, ConnectorAuthorization.Session, "", "", "", ""));
        }

        foreach (var (name, server) in options.Servers)
        {
            connectors.Add(new Connector(
                name,
                new Uri(server.Url, UriKind.Absolute),
                server.Authorization,
                EffectivePrefix(name, server),
                server.Scopes.Trim(),
                server.ClientId,
                server.ClientSecret));
        }

        return connectors;
    }

    /// <summary>The prefix a server's tools get: <c>ToolPrefix</c> as set (empty: none), or the server name and <c>__</c>.</summary>
    public static string EffectivePrefix(string name, McpServerOptions server) => server.ToolPrefix ?? name + "__";
}
