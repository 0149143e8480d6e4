using McpGateway.Auth.Registration;

namespace McpGateway.Tests.Auth.Registration;

public sealed class ClientRegistrationCoordinatorBackoffTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    private const int Samples = 200;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 16)]
    public void Delay_doubles_per_failure_with_at_most_20_percent_jitter(int failures, double baseSeconds)
    {
        for (var i = 0; i < Samples; i++)
        {
            var delay = ClientRegistrationCoordinator.Backoff(failures, Max).TotalSeconds;

            Assert.InRange(delay, baseSeconds, baseSeconds * 1.2);
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(10)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void Delay_is_capped_at_the_maximum_plus_at_most_20_percent_jitter(int failures)
    {
        for (var i = 0; i < Samples; i++)
        {
            var delay = ClientRegistrationCoordinator.Backoff(failures, Max);

            Assert.InRange(delay, Max, Max * 1.2);
        }
    }

    [Fact]
    public void Delay_never_shrinks_as_failures_grow()
    {
        for (var failures = 1; failures < 40; failures++)
        {
            var longestNow = Enumerable.Range(0, Samples).Max(_ => ClientRegistrationCoordinator.Backoff(failures, TimeSpan.FromMinutes(10)));
            var shortestNext = Enumerable.Range(0, Samples).Min(_ => ClientRegistrationCoordinator.Backoff(failures + 1, TimeSpan.FromMinutes(10)));

            // Below the cap each step doubles, which outgrows 20 % jitter; at the cap both share one range.
            if (shortestNext < TimeSpan.FromMinutes(10))
            {
                Assert.True(shortestNext >= longestNow, $"failure {failures + 1}: {shortestNext} < {longestNow}");
            }
            else
            {
                Assert.True(shortestNext >= TimeSpan.FromMinutes(10));
            }
        }
    }

    [Fact]
    public void Jitter_spreads_replicas_out()
    {
        var delays = Enumerable.Range(0, 50).Select(_ => ClientRegistrationCoordinator.Backoff(3, Max)).Distinct().Count();

        Assert.True(delays > 10, $"only {delays} distinct delays in 50 draws");
    }

    [Fact]
    public void Small_maximum_caps_even_the_first_delay()
    {
        var delay = ClientRegistrationCoordinator.Backoff(1, TimeSpan.FromMilliseconds(500));

        Assert.InRange(delay, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(600));
    }
}
