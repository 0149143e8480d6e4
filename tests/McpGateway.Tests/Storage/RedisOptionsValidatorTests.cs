using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Storage;

public sealed class RedisOptionsValidatorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_configuration_is_single_instance_mode_and_valid(string configuration)
        => Assert.True(Validate(configuration).Succeeded);

    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("redis:6379,password=secret,ssl=true")]
    [InlineData("10.0.0.1:6379,10.0.0.2:6379,abortConnect=false")]
    [InlineData("127.0.0.1")]
    public void Configuration_with_an_endpoint_is_valid(string configuration)
        => Assert.True(Validate(configuration).Succeeded, Validate(configuration).FailureMessage);

    [Theory]
    [InlineData("localhost:6379,notAnOption=1")]
    [InlineData("localhost:6379,connectTimeout=soon")]
    [InlineData("localhost:6379,ssl=maybe")]
    [InlineData("localhost:99999")]
    public void Unparseable_configuration_fails_and_names_the_key(string configuration)
    {
        var result = Validate(configuration);

        Assert.True(result.Failed);
        Assert.Contains("Redis:Configuration", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("not a valid", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password=secret")]
    [InlineData(",ssl=true")]
    [InlineData("abortConnect=false,password=x")]
    [InlineData(",,,")]
    [InlineData("localhost:abc")]
    public void Configuration_without_an_endpoint_fails_and_names_the_key(string configuration)
    {
        var result = Validate(configuration);

        Assert.True(result.Failed);
        Assert.Contains("Redis:Configuration", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("no endpoint", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://localhost:6379")]
    [InlineData("rediss://user:pw@redis.internal:6380/0")]
    public void Url_form_configuration_fails_and_names_the_key(string configuration)
    {
        var result = Validate(configuration);

        Assert.True(result.Failed);
        Assert.Contains("Redis:Configuration", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_message_does_not_repeat_the_configured_password()
    {
        var result = Validate("password=s3cr3t-value");

        Assert.True(result.Failed);
        Assert.DoesNotContain("s3cr3t-value", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("mcp gw:")]
    [InlineData("mcpgw:\t")]
    [InlineData("\nmcpgw:")]
    public void Empty_or_white_space_key_prefix_fails_and_names_the_key(string prefix)
    {
        var result = Validate("localhost:6379", prefix);

        Assert.True(result.Failed);
        Assert.Contains("Redis:KeyPrefix", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_prefix_is_checked_in_single_instance_mode_too()
        => Assert.True(Validate("", "bad prefix").Failed);

    [Theory]
    [InlineData("mcpgw:")]
    [InlineData("tenant-a/gateway:")]
    public void Custom_key_prefix_passes(string prefix)
        => Assert.True(Validate("localhost:6379", prefix).Succeeded);

    private static ValidateOptionsResult Validate(string configuration, string prefix = "mcpgw:")
        => new RedisOptionsValidator().Validate(null, new RedisOptions { Configuration = configuration, KeyPrefix = prefix });
}
