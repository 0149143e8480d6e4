using McpGateway.Hosting;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Hosting;

public sealed class PlainHttpOriginWarningTests
{
    [Theory]
    [InlineData("http://chat.example.com", true)]
    [InlineData("http://10.0.0.5:8080", true)]
    [InlineData("https://chat.example.com", false)]
    [InlineData("http://localhost:8080", false)]
    [InlineData("http://127.0.0.1:5000", false)]
    [InlineData("http://[::1]:5000", false)]
    public async Task Only_a_plain_http_origin_beyond_this_machine_is_warned_about(string origin, bool warned)
    {
        var logger = new CapturingLogger<PlainHttpOriginWarning>();
        var warning = new PlainHttpOriginWarning(Options.Create(new GatewayOptions { PublicOrigin = origin }), logger);

        await warning.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(warned, logger.Entries.Any(entry => entry.Level == LogLevel.Warning && entry.Message.Contains(new Uri(origin).Host, StringComparison.Ordinal)));
    }
}
