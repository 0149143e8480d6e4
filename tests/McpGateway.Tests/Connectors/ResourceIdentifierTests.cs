using McpGateway.Connectors.Discovery;

namespace McpGateway.Tests.Connectors;

public sealed class ResourceIdentifierTests
{
    private static readonly Uri Server = new("https://mcp.example.com/mcp");

    [Theory]
    [InlineData("https://mcp.example.com/mcp")]
    [InlineData("HTTPS://MCP.EXAMPLE.COM/mcp")]
    [InlineData("https://mcp.example.com:443/mcp")]
    public void The_same_identifier_after_normalization_matches(string advertised) => Assert.True(ResourceIdentifier.Matches(advertised, Server));

    [Theory]
    [InlineData("https://mcp.example.com/mcp/")]
    [InlineData("https://mcp.example.com/")]
    [InlineData("https://mcp.example.com/MCP")]
    [InlineData("http://mcp.example.com/mcp")]
    [InlineData("https://evil.example.com/mcp")]
    [InlineData("https://mcp.example.com/mcp#x")]
    [InlineData("/mcp")]
    [InlineData("")]
    [InlineData(null)]
    public void Any_other_identifier_does_not(string? advertised) => Assert.False(ResourceIdentifier.Matches(advertised, Server));

    [Theory]
    [InlineData("https://as.example.com", true)]
    [InlineData("https://as.example.com/", true)]
    [InlineData("https://as.example.com/tenant", false)]
    [InlineData("https://AS.example.com", false)]
    public void An_issuer_may_differ_only_by_a_terminating_slash(string advertised, bool same)
        => Assert.Equal(same, ResourceIdentifier.SameIssuer(advertised, new Uri("https://as.example.com")));
}
