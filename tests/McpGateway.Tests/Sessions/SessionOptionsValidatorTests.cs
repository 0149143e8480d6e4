using McpGateway.Sessions;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Sessions;

public sealed class SessionOptionsValidatorTests
{
    [Fact]
    public void Defaults_pass()
        => Assert.True(Validate(new SessionOptions()).Succeeded);

    [Theory]
    [InlineData("00:00:59")]
    [InlineData("00:00:00")]
    [InlineData("-01:00:00")]
    public void Idle_timeout_under_a_minute_fails_and_names_the_key(string idle)
    {
        var result = Validate(new SessionOptions { IdleTimeout = TimeSpan.Parse(idle, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains("Sessions:IdleTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Idle_timeout_of_exactly_a_minute_passes()
        => Assert.True(Validate(new SessionOptions { IdleTimeout = TimeSpan.FromMinutes(1), AbsoluteLifetime = TimeSpan.FromMinutes(1) }).Succeeded);

    [Fact]
    public void Absolute_lifetime_shorter_than_idle_timeout_fails_and_names_both_keys()
    {
        var result = Validate(new SessionOptions { IdleTimeout = TimeSpan.FromHours(8), AbsoluteLifetime = TimeSpan.FromHours(7) });

        Assert.True(result.Failed);
        Assert.Contains("Sessions:AbsoluteLifetime", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Sessions:IdleTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_lifetime_equal_to_idle_timeout_passes()
        => Assert.True(Validate(new SessionOptions { IdleTimeout = TimeSpan.FromHours(8), AbsoluteLifetime = TimeSpan.FromHours(8) }).Succeeded);

    private static ValidateOptionsResult Validate(SessionOptions options) => new SessionOptionsValidator().Validate(null, options);
}
