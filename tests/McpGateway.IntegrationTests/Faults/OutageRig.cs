using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// What each provider-outage test breaks on its own: a provider behind a TCP proxy that the test can
/// cut off, kill and restart, the MCP server and the chat server that introspect at it, and a ready
/// gateway signing users in there.
/// </summary>
internal sealed class OutageRig : IAsyncDisposable
{
    private OutageRig(ProxiedProvider provider, NodeServer everything, ChatServer chat, GatewayHost gateway)
    {
        Provider = provider;
        Everything = everything;
        Chat = chat;
        Gateway = gateway;
    }

    public ProxiedProvider Provider { get; }

    public NodeServer Everything { get; }

    public ChatServer Chat { get; }

    public GatewayHost Gateway { get; }

    public static async Task<OutageRig> StartAsync(FaultStack stack, int accessTokenTtlSeconds, TimeSpan backchannelTimeout)
    {
        var provider = await ProxiedProvider.StartAsync(accessTokenTtlSeconds);
        var everything = await NodeServer.StartEverythingAsync();
        var chat = await ChatServer.StartAsync(provider.Issuer);
        var gateway = GatewayHost.Start(stack.Settings(extra: new Dictionary<string, string?>
        {
            ["Upstreams:Mcp:Url"] = new Uri(everything.BaseAddress, "/mcp").AbsoluteUri,
            ["Upstreams:Chat:Url"] = chat.BaseAddress.AbsoluteUri,
            ["Auth:BackchannelTimeout"] = backchannelTimeout.ToString(),
        }) with { Authority = provider.Issuer });
        var rig = new OutageRig(provider, everything, chat, gateway);
        try
        {
            await gateway.WaitUntilReadyAsync();
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Chat.DisposeAsync();
        await Everything.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
