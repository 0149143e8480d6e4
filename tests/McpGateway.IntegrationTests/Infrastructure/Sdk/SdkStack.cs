namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>
/// The real parts the tests against MCP servers built with the SDK share, started once per
/// collection: Redis, the OpenID provider (5-second access tokens), a Streamable HTTP SDK server and
/// a WebSocket SDK server, both checking bearer tokens at the provider.
/// </summary>
public sealed class SdkStack : IAsyncLifetime
{
    internal RedisServer Redis { get; private set; } = null!;

    internal OidcProvider Provider { get; private set; } = null!;

    internal SdkMcpServer Http { get; private set; } = null!;

    internal WebSocketMcpServer Socket { get; private set; } = null!;

    /// <summary>The root of the gateway's file_read tool, so that the gateway lists more than one tool of its own.</summary>
    internal string FilesRoot { get; } = Directory.CreateTempSubdirectory("mcpgw-sdk-files-").FullName;

    public async ValueTask InitializeAsync()
    {
        var redis = RedisServer.StartAsync();
        var provider = OidcProvider.StartAsync(AuthStack.AccessTokenTtlSeconds);
        Redis = await redis;
        Provider = await provider;
        var http = SdkMcpServer.StartAsync(Provider);
        var socket = WebSocketMcpServer.StartAsync(Provider);
        Http = await http;
        Socket = await socket;
    }

    /// <summary>Settings for a gateway whose MCP upstream is <paramref name="upstream"/> (http:// or ws://), with its own key prefix.</summary>
    internal GatewaySettings Settings(Uri upstream, TimeSpan? requestTimeout = null) => new()
    {
        Authority = Provider.Issuer,
        RedisConfiguration = Redis.Configuration,
        Extra = new Dictionary<string, string?>
        {
            ["Upstreams:Mcp:Url"] = upstream.AbsoluteUri,
            ["Tools:FileRead:Root"] = FilesRoot,
            ["Mcp:RequestTimeout"] = (requestTimeout ?? TimeSpan.FromSeconds(30)).ToString(),
        },
    };

    public async ValueTask DisposeAsync()
    {
        await Socket.DisposeAsync();
        await Http.DisposeAsync();
        await Provider.DisposeAsync();
        await Redis.DisposeAsync();
        Directory.Delete(FilesRoot, recursive: true);
    }
}

[CollectionDefinition(nameof(SdkStackCollection))]
public sealed class SdkStackCollection : ICollectionFixture<SdkStack>;
