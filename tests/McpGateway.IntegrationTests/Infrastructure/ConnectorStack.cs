using System.Globalization;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real parts of the connector tests, started once per collection: Redis, the sign-in provider, a second provider
/// (the MCP server's own authorization server: DCR, resource indicators, JWT access tokens for the server, 5-second
/// access tokens so refreshes happen for real, the resource scopes mcp and mcp:admin), the protected MCP server built with the MCP TypeScript SDK, a
/// session-mode server (server-everything behind the bearer-checking front of the sign-in provider), and a stand-in for
/// broken or hostile servers.
/// </summary>
public sealed class ConnectorStack : IAsyncLifetime
{
    public const string Connector = "vault";

    /// <summary>The scope the protected server's admin_report needs (a step-up); its provider can grant it, though nobody asks for it at first.</summary>
    public const string AdminScope = "mcp:admin";

    internal RedisServer Redis { get; private set; } = null!;

    internal OidcProvider Provider { get; private set; } = null!;

    internal OidcProvider ServerProvider { get; private set; } = null!;

    internal NodeServer Protected { get; private set; } = null!;

    internal MetadataStandIn StandIn { get; private set; } = null!;

    internal NodeServer Everything { get; private set; } = null!;

    /// <summary>The session-mode server's front: it takes only the sign-in provider's tokens, and audits each request.</summary>
    internal NodeServer Front { get; private set; } = null!;

    public Uri ProtectedUrl => new(Protected.BaseAddress, "/mcp");

    public async ValueTask InitializeAsync()
    {
        var protectedPort = FreePort.Next();
        var resource = new Uri($"http://127.0.0.1:{protectedPort}/mcp");
        var redis = RedisServer.StartAsync();
        var provider = OidcProvider.StartAsync(AuthStack.AccessTokenTtlSeconds);
        var serverProvider = OidcProvider.StartAsync(AuthStack.AccessTokenTtlSeconds, jwtResources: [resource], resourceScopes: "mcp " + AdminScope);
        var standIn = MetadataStandIn.StartAsync();
        var everything = NodeServer.StartEverythingAsync();
        Redis = await redis;
        Provider = await provider;
        Everything = await everything;
        var front = NodeServer.StartMcpFrontAsync(new Uri(Everything.BaseAddress, "/mcp"), Provider);
        ServerProvider = await serverProvider;
        StandIn = await standIn;
        Protected = await NodeServer.StartProtectedMcpAsync(ServerProvider, protectedPort);
        Front = await front;
    }

    /// <summary>
    /// A gateway with the protected server as the discover-mode connector <see cref="Connector"/>, its provider allowed; more
    /// connectors in <paramref name="servers"/> (name → URL); with <paramref name="sessionServer"/>, the front as <c>Upstreams:Mcp:Url</c>.
    /// </summary>
    internal GatewaySettings Settings(string? keyPrefix = null, IReadOnlyDictionary<string, Uri>? servers = null, IReadOnlyList<string>? allowedIssuers = null, bool sessionServer = false)
    {
        var extra = new Dictionary<string, string?>
        {
            [$"Upstreams:Mcp:Servers:{Connector}:Url"] = ProtectedUrl.AbsoluteUri,
            [$"Upstreams:Mcp:Servers:{Connector}:Authorization"] = "Discover",
        };
        if (sessionServer)
        {
            extra["Upstreams:Mcp:Url"] = new Uri(Front.BaseAddress, "/mcp").AbsoluteUri;
        }

        foreach (var (name, url) in servers ?? new Dictionary<string, Uri>())
        {
            extra[$"Upstreams:Mcp:Servers:{name}:Url"] = url.AbsoluteUri;
            extra[$"Upstreams:Mcp:Servers:{name}:Authorization"] = "Discover";
        }

        var issuers = allowedIssuers ?? [ServerProvider.Issuer];
        for (var i = 0; i < issuers.Count; i++)
        {
            extra[$"Upstreams:Mcp:AllowedIssuers:{i.ToString(CultureInfo.InvariantCulture)}"] = issuers[i];
        }

        var settings = new GatewaySettings { Authority = Provider.Issuer, RedisConfiguration = Redis.Configuration, Extra = extra };
        return keyPrefix is null ? settings : settings with { KeyPrefix = keyPrefix };
    }

    public async ValueTask DisposeAsync()
    {
        await Protected.DisposeAsync();
        await Front.DisposeAsync();
        await Everything.DisposeAsync();
        await StandIn.DisposeAsync();
        await ServerProvider.DisposeAsync();
        await Provider.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(nameof(ConnectorStackCollection))]
public sealed class ConnectorStackCollection : ICollectionFixture<ConnectorStack>;
