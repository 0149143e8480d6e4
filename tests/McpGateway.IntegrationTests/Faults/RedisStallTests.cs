using System.Net;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

[Collection(nameof(FaultCollection))]
public sealed class RedisStallTests(FaultStack stack)
{
    [Fact(Skip = "bug: a Redis that stops answering for longer than the sync timeout STOPS THE GATEWAY. TelemetryGauges samples "
        + "the session count every 15 s and catches only RedisException, but StackExchange.Redis throws RedisTimeoutException, which "
        + "derives from TimeoutException; the BackgroundService fails and the host's default BackgroundServiceExceptionBehavior.StopHost "
        + "shuts Kestrel down ('BackgroundService failed … RedisTimeoutException … command=ZREMRANGEBYSCORE' then 'The HostOptions."
        + "BackgroundServiceExceptionBehavior is configured to StopHost … the IHost instance is stopping'). Seen for real in a loaded run of "
        + "this suite (the hostile gateway vanished mid-barrage); here Redis is SIGSTOPped for 22 s and /healthz is refused afterwards. "
        + "Catch the timeout (or all exceptions) in the sampling loop.")]
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
