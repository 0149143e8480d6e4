using McpGateway.Mcp;

namespace McpGateway.Tests.Mcp;

public sealed class McpOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
        => Assert.True(new McpOptionsValidator().Validate(null, new McpOptions()).Succeeded);

    [Fact]
    public void The_boundaries_are_valid()
    {
        Assert.True(Validate(options => options.MaxFrameBytes = 1024).Succeeded);
        Assert.True(Validate(options => options.MaxFrameBytes = 64 * 1024 * 1024).Succeeded);
        Assert.True(Validate(options =>
        {
            options.MaxSocketsPerUser = 1;
            options.MaxConcurrentRequestsPerSocket = 1;
            options.IdleTimeout = TimeSpan.FromSeconds(1);
            options.RequestTimeout = TimeSpan.FromSeconds(1);
            options.KeepAliveInterval = TimeSpan.Zero;
        }).Succeeded);
    }

    [Theory]
    [InlineData("MaxFrameBytes", "1023", "Mcp:MaxFrameBytes must be between 1024 and 67108864, got 1023.")]
    [InlineData("MaxFrameBytes", "67108865", "Mcp:MaxFrameBytes must be between 1024 and 67108864, got 67108865.")]
    [InlineData("MaxFrameBytes", "-1", "Mcp:MaxFrameBytes must be between 1024 and 67108864, got -1.")]
    [InlineData("MaxSocketsPerUser", "0", "Mcp:MaxSocketsPerUser must be at least 1, got 0.")]
    [InlineData("MaxHttpSessionsPerUser", "0", "Mcp:MaxHttpSessionsPerUser must be at least 1, got 0.")]
    [InlineData("MaxStreamsPerUser", "-1", "Mcp:MaxStreamsPerUser must be at least 1, got -1.")]
    [InlineData("MaxConcurrentRequestsPerSocket", "-5", "Mcp:MaxConcurrentRequestsPerSocket must be at least 1, got -5.")]
    [InlineData("IdleTimeout", "00:00:00.999", "Mcp:IdleTimeout must be at least 00:00:01, got 00:00:00.9990000.")]
    [InlineData("RequestTimeout", "00:00:00", "Mcp:RequestTimeout must be at least 00:00:01, got 00:00:00.")]
    [InlineData("ResumeTimeout", "00:00:02", "Mcp:ResumeTimeout must be between 00:00:03 and 1.00:00:00, got 00:00:02.")]
    [InlineData("ResumeTimeout", "1.00:00:01", "Mcp:ResumeTimeout must be between 00:00:03 and 1.00:00:00, got 1.00:00:01.")]
    [InlineData("KeepAliveInterval", "-00:00:01", "Mcp:KeepAliveInterval must not be negative, got -00:00:01.")]
    public void A_value_out_of_range_fails_with_a_message_naming_the_key_and_the_value(string key, string value, string message)
    {
        var result = Validate(options => Set(options, key, value));

        Assert.True(result.Failed);
        Assert.Equal([message], result.Failures);
    }

    [Fact]
    public void Every_failure_is_reported_at_once()
    {
        var result = Validate(options =>
        {
            options.MaxFrameBytes = 0;
            options.MaxSocketsPerUser = 0;
            options.MaxHttpSessionsPerUser = 0;
            options.MaxStreamsPerUser = 0;
            options.MaxConcurrentRequestsPerSocket = 0;
            options.IdleTimeout = TimeSpan.Zero;
            options.RequestTimeout = TimeSpan.Zero;
            options.KeepAliveInterval = TimeSpan.MinValue;
        });

        Assert.Equal(
            ["Mcp:MaxFrameBytes", "Mcp:MaxSocketsPerUser", "Mcp:MaxHttpSessionsPerUser", "Mcp:MaxStreamsPerUser", "Mcp:MaxConcurrentRequestsPerSocket", "Mcp:IdleTimeout", "Mcp:RequestTimeout", "Mcp:KeepAliveInterval"],
            result.Failures!.Select(failure => failure[..failure.IndexOf(' ', StringComparison.Ordinal)]));
    }

    private static void Set(McpOptions options, string key, string value)
    {
        var property = typeof(McpOptions).GetProperty(key)!;
        property.SetValue(options, property.PropertyType == typeof(int)
            ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
            : TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(Action<McpOptions> change)
    {
        var options = new McpOptions();
        change(options);
        return new McpOptionsValidator().Validate(null, options);
    }
}
