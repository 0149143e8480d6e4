using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hosting;

public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task Every_answer_carries_the_browser_hardening_headers_and_the_page_a_strict_policy()
    {
        await using var gateway = GatewayHost.Start(new GatewaySettings { Authority = $"http://127.0.0.1:{FreePort.Next()}" });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        foreach (var path in new[] { "/", "/auth/session", "/api/nothing", "/healthz" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("X-Request-Id").Single()));
            Assert.False(response.Headers.Contains("Server"), "the answer names its server software");
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Contains($"connect-src 'self' ws://127.0.0.1:{gateway.Port}", policy, StringComparison.Ordinal);
        }
    }
}
