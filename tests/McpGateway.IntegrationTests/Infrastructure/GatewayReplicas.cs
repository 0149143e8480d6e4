namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Two replicas of one deployment, as behind a load balancer: the same settings, with the first replica's address as
/// the public origin of both (so a cookie or an OAuth redirect made by either is valid at the other), both ready.
/// </summary>
internal sealed class GatewayReplicas : IAsyncDisposable
{
    private GatewayReplicas(Uri publicOrigin, GatewayHost first, GatewayHost second)
    {
        PublicOrigin = publicOrigin;
        First = first;
        Second = second;
    }

    /// <summary>The origin both replicas answer for: the one a browser's page (and its WebSocket's Origin header) has.</summary>
    public Uri PublicOrigin { get; }

    public GatewayHost First { get; }

    public GatewayHost Second { get; }

    public static async Task<GatewayReplicas> StartAsync(GatewaySettings settings)
    {
        var port = FreePort.Next();
        var shared = settings with { PublicOrigin = new Uri("http://127.0.0.1:" + port) };
        var replicas = new GatewayReplicas(shared.PublicOrigin!, GatewayHost.Start(shared, port), GatewayHost.Start(shared));
        await Task.WhenAll(replicas.First.WaitUntilReadyAsync(), replicas.Second.WaitUntilReadyAsync());
        return replicas;
    }

    public void Deconstruct(out GatewayHost first, out GatewayHost second) => (first, second) = (First, Second);

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
