using System.Globalization;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// What the fault tests share and never kill: a Redis, the OpenID provider and the sample chat server.
/// Every test starts its own instance of the component it kills, so no other test is disturbed.
/// </summary>
public sealed class FaultStack : IAsyncLifetime
{
    internal RedisServer Redis { get; private set; } = null!;

    internal OidcProvider Provider { get; private set; } = null!;

    internal NodeServer Chat { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var redis = RedisServer.StartAsync();
        Provider = await OidcProvider.StartAsync(accessTokenTtl: 300);
        Chat = await NodeServer.StartChatAsync(Provider);
        Redis = await redis;
    }

    /// <summary>Gateway settings on this stack; budgets are raised so that load is never rate limited.</summary>
    internal GatewaySettings Settings(RedisServer? redis = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Upstreams:Chat:Url"] = Chat.BaseAddress.AbsoluteUri,
            ["RateLimits:Chat:PermitLimit"] = "1000000",
            ["RateLimits:Tools:PermitLimit"] = "1000000",
            ["Mcp:MaxFrameBytes"] = (64 * 1024).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new GatewaySettings
        {
            Authority = Provider.Issuer,
            RedisConfiguration = WithLibraryTimeouts(redis ?? Redis),
            Extra = settings,
        };
    }

    /// <summary>
    /// The Redis configuration with StackExchange.Redis's own 5 s timeouts instead of the test fixture's 2 s: on this shared 2-core
    /// machine a loaded Redis can take longer than 2 s, and a timeout stops the gateway (see RedisStallTests), which is not what these
    /// tests are about.
    /// </summary>
    internal static string WithLibraryTimeouts(RedisServer redis) => redis.Configuration + ",syncTimeout=5000,asyncTimeout=5000";

    public async ValueTask DisposeAsync()
    {
        await Chat.DisposeAsync();
        await Provider.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(nameof(FaultCollection))]
public sealed class FaultCollection : ICollectionFixture<FaultStack>;
