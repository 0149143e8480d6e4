using System.Globalization;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// Three connectors behind one gateway, started once per collection: <c>default</c> = the <see cref="McpStack"/>'s
/// server-everything behind its bearer-checking front (session mode, no prefix); <c>two</c> = a second server-everything
/// behind an audit-only front (none mode, prefix <c>two__</c>; the front shows whether an Authorization header came);
/// <c>dead</c> = a closed port (none mode, prefix <c>dead__</c>). For RFC 8707 (<see cref="ResourceSettings"/>): <c>three</c> =
/// the second server-everything behind a bearer-checking front of the same provider (session mode, prefix <c>three__</c>).
/// </summary>
public sealed class MultiServerStack : IAsyncLifetime
{
    public McpStack Mcp { get; } = new();

    internal NodeServer SecondEverything { get; private set; } = null!;

    internal NodeServer SecondFront { get; private set; } = null!;

    /// <summary>A second bearer-checking front of the sign-in provider (its audit shows each token's <c>aud</c>).</summary>
    internal NodeServer ThirdFront { get; private set; } = null!;

    internal int DeadPort { get; } = FreePort.Next();

    public Uri ThirdUrl => new(ThirdFront.BaseAddress, "/mcp");

    public async ValueTask InitializeAsync()
    {
        var first = Mcp.InitializeAsync().AsTask();
        SecondEverything = await NodeServer.StartEverythingAsync();
        await first;
        SecondFront = await NodeServer.StartMcpFrontAsync(new Uri(SecondEverything.BaseAddress, "/mcp"), Mcp.Provider, auditOnly: true);
        ThirdFront = await NodeServer.StartMcpFrontAsync(new Uri(SecondEverything.BaseAddress, "/mcp"), Mcp.Provider);
    }

    /// <summary>Two session-mode servers (<c>default</c>, <c>three</c>) of the sign-in provider, with <c>Auth:ResourceIndicators</c> = <paramref name="resourceIndicators"/>.</summary>
    internal GatewaySettings ResourceSettings(string resourceIndicators = "on")
    {
        var settings = Mcp.Settings();
        var extra = new Dictionary<string, string?>(settings.Extra)
        {
            ["Upstreams:Mcp:Servers:three:Url"] = ThirdUrl.AbsoluteUri,
            ["Auth:ResourceIndicators"] = resourceIndicators,
        };
        return settings with { Extra = extra };
    }

    internal GatewaySettings Settings()
    {
        var settings = Mcp.Settings();
        var extra = new Dictionary<string, string?>(settings.Extra)
        {
            ["Upstreams:Mcp:Servers:two:Url"] = new Uri(SecondFront.BaseAddress, "/mcp").AbsoluteUri,
            ["Upstreams:Mcp:Servers:two:Authorization"] = "none",
            ["Upstreams:Mcp:Servers:dead:Url"] = $"http://127.0.0.1:{DeadPort.ToString(CultureInfo.InvariantCulture)}/mcp",
            ["Upstreams:Mcp:Servers:dead:Authorization"] = "none",
        };
        return settings with { Extra = extra };
    }

    public async ValueTask DisposeAsync()
    {
        await ThirdFront.DisposeAsync();
        await SecondFront.DisposeAsync();
        await SecondEverything.DisposeAsync();
        await Mcp.DisposeAsync();
    }
}

[CollectionDefinition(nameof(MultiServerStackCollection))]
public sealed class MultiServerStackCollection : ICollectionFixture<MultiServerStack>;
