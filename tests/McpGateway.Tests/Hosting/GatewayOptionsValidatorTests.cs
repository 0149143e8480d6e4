using McpGateway.Hosting;

namespace McpGateway.Tests.Hosting;

public sealed class GatewayOptionsValidatorTests
{
    private const string Key = "Gateway:PublicOrigin";

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_origin_fails_and_names_the_key(string origin)
    {
        var result = Validate(origin);

        Assert.True(result.Failed);
        Assert.Contains(Key, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat.example.com")]
    [InlineData("chat.example.com:443")]
    [InlineData("/chat")]
    [InlineData("ftp://chat.example.com")]
    [InlineData("ws://chat.example.com")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    public void Relative_or_non_http_origin_fails_and_names_the_key(string origin)
    {
        var result = Validate(origin);

        Assert.True(result.Failed);
        Assert.Contains(Key, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(origin, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://chat.example.com/app")]
    [InlineData("https://chat.example.com/app/")]
    [InlineData("https://chat.example.com/?tenant=1")]
    [InlineData("https://chat.example.com/#top")]
    [InlineData("https://user:secret@chat.example.com")]
    [InlineData("https://user@chat.example.com")]
    public void Origin_with_path_query_fragment_or_userinfo_fails_and_names_the_key(string origin)
    {
        var result = Validate(origin);

        Assert.True(result.Failed);
        Assert.Contains(Key, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("origin", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://chat.example.com")]
    [InlineData("https://chat.example.com/")]
    [InlineData("https://chat.example.com:8443")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080")]
    public void Http_and_https_origins_pass(string origin)
    {
        var result = Validate(origin);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(0L, true)]
    [InlineData(-5L, true)]
    [InlineData(1L, false)]
    [InlineData(null, false)]
    public void A_connection_limit_below_one_fails_and_names_the_key(long? maxConnections, bool fails)
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { PublicOrigin = "https://chat.example.com", MaxConnections = maxConnections });

        Assert.Equal(fails, result.Failed);
        if (fails)
        {
            Assert.Contains("Gateway:MaxConnections", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string origin)
        => new GatewayOptionsValidator().Validate(null, new GatewayOptions { PublicOrigin = origin });
}
