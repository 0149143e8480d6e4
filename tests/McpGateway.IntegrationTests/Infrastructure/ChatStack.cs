namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>The real parts the chat proxy tests share: Redis, the OpenID provider and the sample chat server (bearer introspected).</summary>
public sealed class ChatStack : IAsyncLifetime
{
    internal RedisServer Redis { get; private set; } = null!;

    internal OidcProvider Provider { get; private set; } = null!;

    internal NodeServer Chat { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var redis = RedisServer.StartAsync();
        Provider = await OidcProvider.StartAsync();
        Chat = await NodeServer.StartChatAsync(Provider);
        Redis = await redis;
    }

    internal GatewaySettings Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Upstreams:Chat:Url"] = Chat.BaseAddress.AbsoluteUri };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new GatewaySettings { Authority = Provider.Issuer, RedisConfiguration = Redis.Configuration, Extra = settings };
    }

    public async ValueTask DisposeAsync()
    {
        await Chat.DisposeAsync();
        await Provider.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(nameof(ChatStackCollection))]
public sealed class ChatStackCollection : ICollectionFixture<ChatStack>;
