namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real parts the MCP bridge tests share, started once per collection: Redis, the OpenID
/// provider (5-second access tokens), server-everything behind the bearer-checking front, the
/// search backend, and a directory for file_read.
/// </summary>
public sealed class McpStack : IAsyncLifetime
{
    internal RedisServer Redis { get; private set; } = null!;

    internal OidcProvider Provider { get; private set; } = null!;

    internal NodeServer Everything { get; private set; } = null!;

    internal NodeServer Front { get; private set; } = null!;

    internal NodeServer Search { get; private set; } = null!;

    internal NodeServer Chat { get; private set; } = null!;

    internal string FilesRoot { get; } = Directory.CreateTempSubdirectory("mcpgw-files-").FullName;

    public Uri McpUrl => new(Front.BaseAddress, "/mcp");

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(FilesRoot, "notes.txt"), "The gateway reads this file.\n");
        var redis = RedisServer.StartAsync();
        var provider = OidcProvider.StartAsync(AuthStack.AccessTokenTtlSeconds);
        var everything = NodeServer.StartEverythingAsync();
        var search = NodeServer.StartSearchAsync();
        Redis = await redis;
        Provider = await provider;
        Everything = await everything;
        Search = await search;
        var chat = NodeServer.StartChatAsync(Provider);
        Front = await NodeServer.StartMcpFrontAsync(new Uri(Everything.BaseAddress, "/mcp"), Provider);
        Chat = await chat;
    }

    internal GatewaySettings Settings(Uri? mcpUrl = null, string? keyPrefix = null)
    {
        var settings = new GatewaySettings
        {
            Authority = Provider.Issuer,
            RedisConfiguration = Redis.Configuration,
            Extra = new Dictionary<string, string?>
            {
                ["Upstreams:Mcp:Url"] = (mcpUrl ?? McpUrl).AbsoluteUri,
                ["Tools:FileRead:Root"] = FilesRoot,
                ["Tools:WebSearch:Url"] = new Uri(Search.BaseAddress, "/search").AbsoluteUri,
                ["Mcp:MaxFrameBytes"] = (64 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Upstreams:Chat:Url"] = Chat.BaseAddress.AbsoluteUri,
            },
        };
        return keyPrefix is null ? settings : settings with { KeyPrefix = keyPrefix };
    }

    public async ValueTask DisposeAsync()
    {
        await Front.DisposeAsync();
        await Chat.DisposeAsync();
        await Everything.DisposeAsync();
        await Search.DisposeAsync();
        await Provider.DisposeAsync();
        await Redis.DisposeAsync();
        Directory.Delete(FilesRoot, recursive: true);
    }
}

[CollectionDefinition(nameof(McpStackCollection))]
public sealed class McpStackCollection : ICollectionFixture<McpStack>;
