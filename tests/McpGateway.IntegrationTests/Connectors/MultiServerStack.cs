using System.Globalization;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// Three connectors behind one gateway, started once per collection: <c>default</c> = the <see cref="McpStack"/>'s
/// server-everything behind its bearer-checking front (session mode, no prefix); <c>two</c> = a second server-everything
/// behind an audit-only front (none mode, prefix <c>two__</c>; the front shows whether an Authorization header came);
/// <c>dead</c> = a closed port (none mode, prefix <c>dead__</c>).
/// </summary>
public sealed class MultiServerStack : IAsyncLifetime
{
    public McpStack Mcp { get; } = new();

    internal NodeServer SecondEverything { get; private set; } = null!;

    internal NodeServer SecondFront { get; private set; } = null!;

    internal int DeadPort { get; } = FreePort.Next();

    public async ValueTask InitializeAsync()
    {
        var first = Mcp.InitializeAsync().AsTask();
        SecondEverything = await NodeServer.StartEverythingAsync();
        await first;
        SecondFront = await NodeServer.StartMcpFrontAsync(new Uri(SecondEverything.BaseAddress, "/mcp"), Mcp.Provider, auditOnly: true);
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
        await SecondFront.DisposeAsync();
        await SecondEverything.DisposeAsync();
        await Mcp.DisposeAsync();
    }
}

[CollectionDefinition(nameof(MultiServerStackCollection))]
public sealed class MultiServerStackCollection : ICollectionFixture<MultiServerStack>;
