using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// Two gateway replicas on one Redis, relaying to the MCP reference server, behind a balancer (a round-robin TCP one,
/// or the compose stack's nginx) whose address is their public origin: <see cref="Doomed"/> is a process of its own (to be SIGKILLed), <see cref="Survivor"/>
/// the test's in-process host (its services read the secrets the logs are scanned for).
/// </summary>
internal sealed class BalancedReplicas : IAsyncDisposable
{
    private bool _killed;

    private BalancedReplicas(NodeServer everything, IReplicaBalancer balancer, GatewaySettings settings, GatewayHost survivor, ExternalProcess doomed)
    {
        Everything = everything;
        Balancer = balancer;
        Settings = settings;
        Survivor = survivor;
        Doomed = doomed;
    }

    public NodeServer Everything { get; }

    public IReplicaBalancer Balancer { get; }

    public GatewaySettings Settings { get; }

    public GatewayHost Survivor { get; }

    public ExternalProcess Doomed { get; }

    /// <param name="stack">The fault suite's Redis and provider.</param>
    /// <param name="routed">The reference server behind two connectors (<c>default</c>, and <c>two</c> without authorization), so the connector router relays.</param>
    /// <param name="composeNginx">Behind the compose stack's nginx (<see cref="ComposeNginxBalancer"/>) instead of the TCP balancer.</param>
    public static async Task<BalancedReplicas> StartAsync(FaultStack stack, bool routed = false, bool composeNginx = false)
    {
        var everything = await NodeServer.StartEverythingAsync();
        int doomedPort = FreePort.Next(), survivorPort = FreePort.Next();
        IReplicaBalancer balancer = composeNginx
            ? await ComposeNginxBalancer.StartAsync(FreePort.Next(), doomedPort, survivorPort)
            : RoundRobinBalancer.Start(FreePort.Next(), doomedPort, survivorPort);
        var url = new Uri(everything.BaseAddress, "/mcp").AbsoluteUri;
        var upstreams = new Dictionary<string, string?> { ["Upstreams:Mcp:Url"] = url };
        if (routed)
        {
            upstreams["Upstreams:Mcp:Servers:two:Url"] = url;
            upstreams["Upstreams:Mcp:Servers:two:Authorization"] = "none";
        }

        var settings = stack.Settings(extra: upstreams) with { PublicOrigin = balancer.BaseAddress };
        var survivor = GatewayHost.Start(settings, survivorPort);
        await survivor.WaitUntilReadyAsync();
        return new BalancedReplicas(everything, balancer, settings, survivor, await GatewayProcess.StartAsync(settings, doomedPort));
    }

    /// <summary>How often <paramref name="phrase"/> stands in the survivor's log.</summary>
    public int SurvivorLogged(string phrase)
    {
        var text = Survivor.Logs.Text;
        return (text.Length - text.Replace(phrase, "", StringComparison.Ordinal).Length) / phrase.Length;
    }

    /// <summary>SIGKILLs <see cref="Doomed"/>; returns when.</summary>
    public Task<DateTime> KillAsync()
    {
        _killed = true;
        return ProcessKiller.KillAsync(Doomed);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_killed)
        {
            await Doomed.DisposeAsync();
        }

        await Survivor.DisposeAsync();
        await Balancer.DisposeAsync();
        await Everything.DisposeAsync();
    }
}
