using McpGateway.Tools.Calculator;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Tools.Calculator;

public sealed class CalculatorOptionsValidatorTests
{
    [Fact]
    public void Defaults_pass()
    {
        var options = new CalculatorOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(1000, options.MaxLength);
        Assert.Equal(64, options.MaxDepth);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void Max_length_out_of_range_fails_and_names_the_key(int maxLength)
    {
        var result = Validate(new CalculatorOptions { MaxLength = maxLength });

        Assert.Contains("Tools:Calculator:MaxLength must be between 1 and 100000", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void Max_depth_out_of_range_fails_and_names_the_key(int maxDepth)
    {
        var result = Validate(new CalculatorOptions { MaxDepth = maxDepth });

        Assert.Contains("Tools:Calculator:MaxDepth must be between 1 and 256", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Both_failures_are_reported_at_once()
        => Assert.Equal(2, Validate(new CalculatorOptions { MaxLength = 0, MaxDepth = 0 }).Failures!.Count());

    private static ValidateOptionsResult Validate(CalculatorOptions options) => new CalculatorOptionsValidator().Validate(null, options);
}
