using System.Net;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

[Collection(nameof(FaultCollection))]
public sealed class RedisStallTests(FaultStack stack)
{
    [Fact]
    public async Task A_redis_that_stops_answering_for_longer_than_the_sync_timeout_does_not_stop_the_gateway()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = GatewayHost.Start(stack.Settings(redis));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("stalled");

        await using (await ProcessKiller.PauseAsync(redis))
        {
            // Longer than one sampling interval of the gauges and than the 5 s sync timeout.
            await Task.Delay(TimeSpan.FromSeconds(22));
            using var probe = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            using var health = await probe.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        await browser.AssertSignedInAsync("stalled");
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("IHost instance is stopping", StringComparison.Ordinal));
    }
}
