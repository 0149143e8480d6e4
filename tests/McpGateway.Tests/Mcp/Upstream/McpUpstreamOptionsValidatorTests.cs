using McpGateway.Mcp.Upstream;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class McpUpstreamOptionsValidatorTests
{
    private const string Key = "Upstreams:Mcp:Url";

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void No_url_is_valid_and_means_gateway_only(string url)
    {
        var options = new McpUpstreamOptions { Url = url };

        Assert.True(new McpUpstreamOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.IsConfigured);
    }

    [Theory]
    [InlineData("http://localhost:3001/mcp", false)]
    [InlineData("https://mcp.example.com/mcp", false)]
    [InlineData("https://mcp.example.com:8443/v1/mcp?tenant=a", false)]
    [InlineData("ws://localhost:9000/mcp", true)]
    [InlineData("wss://ai.example.com/socket", true)]
    [InlineData("http://[::1]:3001/mcp", false)]
    public void Absolute_http_and_websocket_urls_are_valid(string url, bool webSocket)
    {
        var options = new McpUpstreamOptions { Url = url };

        Assert.True(new McpUpstreamOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.IsConfigured);
        Assert.Equal(webSocket, options.IsWebSocket);
    }

    [Theory]
    [InlineData("localhost:3001/mcp")]
    [InlineData("/mcp")]
    [InlineData("mcp")]
    [InlineData("ftp://mcp.example.com/")]
    [InlineData("file:///srv/mcp.sock")]
    [InlineData("unix:/var/run/mcp.sock")]
    [InlineData("javascript:alert(1)")]
    [InlineData("http://")]
    public void Other_urls_fail_with_a_message_naming_the_key_and_the_value(string url)
    {
        var result = new McpUpstreamOptionsValidator().Validate(null, new McpUpstreamOptions { Url = url });

        Assert.True(result.Failed);
        Assert.Equal($"{Key} must be an absolute http(s):// or ws(s):// URL without credentials, got '{url}'.", result.FailureMessage);
    }

    [Theory]
    [InlineData("https://user:secret@mcp.example.com/mcp")]
    [InlineData("wss://token@mcp.example.com/")]
    public void A_url_with_credentials_fails_naming_the_key(string url)
    {
        var result = new McpUpstreamOptionsValidator().Validate(null, new McpUpstreamOptions { Url = url });

        Assert.True(result.Failed);
        Assert.Contains(Key, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("without credentials", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_url_with_credentials_is_not_echoed()
        => Assert.DoesNotContain("secret", new McpUpstreamOptionsValidator().Validate(null, new McpUpstreamOptions { Url = "https://user:secret@mcp.example.com/mcp" }).FailureMessage, StringComparison.Ordinal);
}
