using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using McpGateway.Mcp.Upstream;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth.Resources;

/// <summary>
/// The RFC 8707 resources of the sign-in: with <see cref="AuthOptions.ResourceIndicators"/> on, the URL of every
/// session-mode connector (sent as <c>resource</c> parameters at sign-in, and the <c>resource</c> of that connector's own
/// token); with it off, none, and every session-mode connector uses the sign-in access token.
/// </summary>
internal sealed class SessionResources
{
    private readonly bool _enabled;

    /// <summary>Resolved from the configuration as the routing does (<see cref="ConnectorCatalog.Resolve"/>), so sign-in needs no MCP services.</summary>
    public SessionResources(IOptions<McpUpstreamOptions> upstream, IOptions<AuthOptions> auth)
        : this(ConnectorCatalog.Resolve(upstream.Value), auth.Value.UsesResourceIndicators)
    {
    }

    public SessionResources(IReadOnlyList<Connector> connectors, bool enabled)
    {
        _enabled = enabled;
        All = enabled
            ? connectors.Where(connector => connector.Authorization == ConnectorAuthorization.Session)
                .Select(connector => connector.Url.AbsoluteUri)
                .Distinct(StringComparer.Ordinal)
                .ToArray()
            : [];
    }

    /// <summary>The resources the sign-in authorization request asks for, in connector order, without duplicates.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>The resource whose token <paramref name="connector"/> gets, or null when it uses the sign-in access token (or none).</summary>
    public string? For(Connector connector)
        => _enabled && connector.Authorization == ConnectorAuthorization.Session ? connector.Url.AbsoluteUri : null;
}
