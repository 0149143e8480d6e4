using System.Globalization;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// One gateway under attack, on real parts (Redis, the OpenID provider, server-everything, the chat
/// server), with a file_read root full of traps (links out of it, loops, a secret next door), a
/// signed-in bystander whose work must go on during every barrage, and the secrets nobody may see.
/// </summary>
public sealed class HostileStack : IAsyncLifetime
{
    public const int MaxFrameBytes = 64 * 1024;

    internal RedisServer Redis { get; private set; } = null!;

    internal OidcProvider Provider { get; private set; } = null!;

    internal NodeServer Everything { get; private set; } = null!;

    internal NodeServer Chat { get; private set; } = null!;

    internal GatewayHost Gateway { get; private set; } = null!;

    internal Browser Bystander { get; private set; } = null!;

    internal string BystanderName { get; } = "bystander-" + Guid.NewGuid().ToString("N")[..6];

    internal FileTraps Files { get; } = FileTraps.Create();

    /// <summary>Every secret handed to a test, so that the gateway's logs can be searched for them all at the end.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _secretsSeen = new(StringComparer.Ordinal);

    public async ValueTask InitializeAsync()
    {
        _ = HostileSeed.Value;
        var redis = RedisServer.StartAsync();
        var everything = NodeServer.StartEverythingAsync();
        Provider = await OidcProvider.StartAsync(accessTokenTtl: 600);
        Chat = await NodeServer.StartChatAsync(Provider);
        Redis = await redis;
        Everything = await everything;
        Gateway = GatewayHost.Start(new GatewaySettings
        {
            Authority = Provider.Issuer,
            RedisConfiguration = Faults.FaultStack.WithLibraryTimeouts(Redis),
            Extra = new Dictionary<string, string?>
            {
                ["Upstreams:Mcp:Url"] = new Uri(Everything.BaseAddress, "/mcp").AbsoluteUri,
                ["Upstreams:Chat:Url"] = Chat.BaseAddress.AbsoluteUri,
                ["Tools:FileRead:Root"] = Files.Root,
                ["Mcp:MaxFrameBytes"] = MaxFrameBytes.ToString(CultureInfo.InvariantCulture),
                ["RateLimits:Chat:PermitLimit"] = "1000000",
                ["RateLimits:Tools:PermitLimit"] = "1000000",
            },
        });
        await Gateway.WaitUntilReadyAsync();
        Bystander = await SignInAsync(BystanderName);
    }

    /// <summary>A new signed-in browser.</summary>
    internal async Task<Browser> SignInAsync(string user)
    {
        var browser = Gateway.CreateBrowser();
        await browser.LoginAsync(user);
        await browser.AssertSignedInAsync(user);
        return browser;
    }

    internal static string CookieOf(Browser browser) => browser.GatewayCookie(SessionCookie.DevelopmentName)!.Value;

    /// <summary>
    /// What must never reach an attacker, read on the server side: the access, refresh and ID tokens and
    /// session references of the bystander and of the given browsers, the bystander's cookie, and the
    /// gateway's client secret and registration access token.
    /// </summary>
    internal async Task<IReadOnlyCollection<string>> SecretsAsync(params Browser[] attackers)
    {
        // An attacker's own cookie is theirs to see; everything else of theirs is still server-side only.
        var ownCookies = attackers.Select(attacker => attacker.GatewayCookie(SessionCookie.DevelopmentName)?.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var secrets = (await GatewaySecrets.CollectAsync(Gateway, [Bystander, .. attackers])).Where(secret => !ownCookies.Contains(secret)).ToList();
        foreach (var secret in secrets)
        {
            _secretsSeen.TryAdd(secret, 0);
        }

        return secrets;
    }

    /// <summary>
    /// After every barrage: the gateway's log, all of it, holds none of the secrets the tests saw (the
    /// bystander's and the attackers' tokens and session references, the cookie, the client's credentials).
    /// A failure here fails the run as the collection's clean-up.
    /// </summary>
    private async Task AssertLogsHoldNoSecretAsync()
    {
        await SecretsAsync();
        GatewaySecrets.AssertNotInLogs(Gateway, _secretsSeen.Keys);
    }

    public async ValueTask DisposeAsync()
    {
        await AssertLogsHoldNoSecretAsync();
        Bystander.Dispose();
        await Gateway.DisposeAsync();
        await Everything.DisposeAsync();
        await Chat.DisposeAsync();
        await Provider.DisposeAsync();
        await Redis.DisposeAsync();
        Files.Dispose();
    }
}

[CollectionDefinition(nameof(HostileCollection))]
public sealed class HostileCollection : ICollectionFixture<HostileStack>;
