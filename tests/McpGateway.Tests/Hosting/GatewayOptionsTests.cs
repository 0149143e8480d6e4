using McpGateway.Hosting;

namespace McpGateway.Tests.Hosting;

public sealed class GatewayOptionsTests
{
    [Theory]
    [InlineData("https://chat.example.com", "https://chat.example.com", true)]
    [InlineData("https://chat.example.com/", "https://chat.example.com", true)]
    [InlineData("https://chat.example.com:443", "https://chat.example.com", true)]
    [InlineData("https://chat.example.com:8443", "https://chat.example.com:8443", true)]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000", false)]
    public void Origin_header_value_is_scheme_host_and_non_default_port(string configured, string expected, bool https)
    {
        var options = new GatewayOptions { PublicOrigin = configured };

        Assert.Equal(expected, options.OriginHeaderValue);
        Assert.Equal(https, options.IsHttps);
    }

    [Theory]
    [InlineData("https://chat.example.com", "https://chat.example.com/signin-oidc")]
    [InlineData("https://chat.example.com/", "https://chat.example.com/signin-oidc")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/signin-oidc")]
    public void Resolve_builds_an_absolute_url_below_the_origin(string configured, string expected)
        => Assert.Equal(expected, new GatewayOptions { PublicOrigin = configured }.Resolve("/signin-oidc").AbsoluteUri);
}
