namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real parts the authentication tests share, started once per collection: a Redis server and
/// the development OpenID provider with 5-second access tokens (so refreshes happen for real).
/// </summary>
public sealed class AuthStack : IAsyncLifetime
{
    public const int AccessTokenTtlSeconds = 5;

    internal RedisServer Redis { get; private set; } = null!;

    internal OidcProvider Provider { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var redis = RedisServer.StartAsync();
        var provider = OidcProvider.StartAsync(AccessTokenTtlSeconds);
        Redis = await redis;
        Provider = await provider;
    }

    /// <summary>Settings for a gateway on this stack, with its own key prefix unless <paramref name="keyPrefix"/> shares one.</summary>
    internal GatewaySettings Settings(string? keyPrefix = null)
    {
        var settings = new GatewaySettings { Authority = Provider.Issuer, RedisConfiguration = Redis.Configuration };
        return keyPrefix is null ? settings : settings with { KeyPrefix = keyPrefix };
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(nameof(AuthStackCollection))]
public sealed class AuthStackCollection : ICollectionFixture<AuthStack>;
