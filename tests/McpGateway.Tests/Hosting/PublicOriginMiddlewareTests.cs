using McpGateway.Hosting;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Hosting;

public sealed class PublicOriginMiddlewareTests
{
    [Theory]
    [InlineData("https://chat.example.com:8443", "https", "chat.example.com:8443")]
    [InlineData("http://127.0.0.1:5000", "http", "127.0.0.1:5000")]
    public async Task Request_behind_a_proxy_is_stamped_with_the_public_scheme_and_host(string origin, string scheme, string host)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("gateway-7d9f:8080");
        HttpRequest? seen = null;
        var middleware = new PublicOriginMiddleware(
            next => { seen = next.Request; return Task.CompletedTask; },
            Options.Create(new GatewayOptions { PublicOrigin = origin }));

        await middleware.InvokeAsync(context);

        Assert.NotNull(seen);
        Assert.Equal(scheme, seen.Scheme);
        Assert.Equal(host, seen.Host.Value);
        Assert.Equal(origin + "/signin-oidc", $"{seen.Scheme}://{seen.Host}/signin-oidc");
    }

    [Fact]
    public async Task Forged_host_header_does_not_reach_the_application()
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString("evil.example");
        var middleware = new PublicOriginMiddleware(_ => Task.CompletedTask, Options.Create(new GatewayOptions { PublicOrigin = "https://chat.example.com:8443" }));

        await middleware.InvokeAsync(context);

        Assert.Equal("chat.example.com:8443", context.Request.Host.Value);
    }

    [Theory]
    [InlineData("https://chat.example.com", "chat.example.com")]
    [InlineData("http://chat.example.com", "chat.example.com")]
    public async Task Request_is_stamped_without_the_default_port(string origin, string host)
    {
        var context = new DefaultHttpContext();
        var middleware = new PublicOriginMiddleware(_ => Task.CompletedTask, Options.Create(new GatewayOptions { PublicOrigin = origin }));

        await middleware.InvokeAsync(context);

        Assert.Equal(host, context.Request.Host.Value);
    }
}
