using System.Globalization;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real parts of the connector tests, started once per collection: Redis, the sign-in provider, a second provider
/// (the MCP server's own authorization server: DCR, resource indicators, JWT access tokens for the server, 5-second
/// access tokens so refreshes happen for real), the protected MCP server built with the MCP TypeScript SDK, and a
/// stand-in for broken or hostile servers.
/// </summary>
public sealed class ConnectorStack : IAsyncLifetime
{
    public const string Connector = "vault";

    internal RedisServer Redis { get; private set; } = null!;

    internal OidcProvider Provider { get; private set; } = null!;

    internal OidcProvider ServerProvider { get; private set; } = null!;

    internal NodeServer Protected { get; private set; } = null!;

    internal MetadataStandIn StandIn { get; private set; } = null!;

    public Uri ProtectedUrl => new(Protected.BaseAddress, "/mcp");

    public async ValueTask InitializeAsync()
    {
        var protectedPort = FreePort.Next();
        var resource = new Uri($"http://127.0.0.1:{protectedPort}/mcp");
        var redis = RedisServer.StartAsync();
        var provider = OidcProvider.StartAsync(AuthStack.AccessTokenTtlSeconds);
        var serverProvider = OidcProvider.StartAsync(AuthStack.AccessTokenTtlSeconds, jwtResources: [resource]);
        var standIn = MetadataStandIn.StartAsync();
        Redis = await redis;
        Provider = await provider;
        ServerProvider = await serverProvider;
        StandIn = await standIn;
        Protected = await NodeServer.StartProtectedMcpAsync(ServerProvider, protectedPort);
    }

    /// <summary>A gateway with the protected server as the discover-mode connector <see cref="Connector"/>, its provider allowed; more connectors in <paramref name="servers"/> (name → URL).</summary>
    internal GatewaySettings Settings(string? keyPrefix = null, IReadOnlyDictionary<string, Uri>? servers = null, IReadOnlyList<string>? allowedIssuers = null)
    {
        var extra = new Dictionary<string, string?>
        {
            [$"Upstreams:Mcp:Servers:{Connector}:Url"] = ProtectedUrl.AbsoluteUri,
            [$"Upstreams:Mcp:Servers:{Connector}:Authorization"] = "Discover",
        };
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
        await StandIn.DisposeAsync();
        await ServerProvider.DisposeAsync();
        await Provider.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(nameof(ConnectorStackCollection))]
public sealed class ConnectorStackCollection : ICollectionFixture<ConnectorStack>;
