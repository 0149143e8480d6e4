using System.Net;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Auth;

[Collection(nameof(AuthStackCollection))]
public sealed class StoreOutageTests(AuthStack stack)
{
    [Fact]
    public async Task With_redis_stopped_calls_get_503_json_and_after_it_returns_the_session_is_still_there()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = GatewayHost.Start(stack.Settings() with { RedisConfiguration = redis.Configuration });
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("mallory");

        await redis.StopAsync();

        using (var during = await browser.GetAsync("/auth/session"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.Equal("temporarily_unavailable", await during.ErrorCodeAsync());
            Assert.True(during.Headers.RetryAfter is not null);
            Assert.DoesNotContain("Exception", await during.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var probe = new HttpClient { BaseAddress = gateway.BaseAddress };
        using (var readiness = await probe.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
            Assert.Equal("Unhealthy", (await readiness.JsonAsync()).GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        }

        await redis.StartAgainAsync();
        await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        await browser.AssertSignedInAsync("mallory");
    }
}
