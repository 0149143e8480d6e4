using McpGateway.Connectors.Discovery;

namespace McpGateway.Tests.Connectors;

public sealed class WellKnownAddressTests
{
    [Theory]
    [InlineData("https://mcp.example.com/mcp", "https://mcp.example.com/.well-known/oauth-protected-resource/mcp")]
    [InlineData("https://mcp.example.com/tenant/mcp/", "https://mcp.example.com/.well-known/oauth-protected-resource/tenant/mcp")]
    [InlineData("https://mcp.example.com:8443/mcp?x=1", "https://mcp.example.com:8443/.well-known/oauth-protected-resource/mcp?x=1")]
    public void Protected_resource_metadata_has_the_path_inserted_then_the_root(string resource, string inserted)
        => Assert.Equal([inserted, new Uri(new Uri(resource), "/.well-known/oauth-protected-resource").AbsoluteUri],
            WellKnownAddress.ProtectedResource(new Uri(resource)).Select(uri => uri.AbsoluteUri));

    [Fact]
    public void A_resource_at_the_root_has_one_metadata_address()
        => Assert.Equal(["https://mcp.example.com/.well-known/oauth-protected-resource"],
            WellKnownAddress.ProtectedResource(new Uri("https://mcp.example.com/")).Select(uri => uri.AbsoluteUri));

    [Fact]
    public void An_issuer_with_a_path_tries_rfc8414_then_both_openid_forms()
        => Assert.Equal(
            [
                "https://as.example.com/.well-known/oauth-authorization-server/tenant1",
                "https://as.example.com/.well-known/openid-configuration/tenant1",
                "https://as.example.com/tenant1/.well-known/openid-configuration",
            ],
            WellKnownAddress.AuthorizationServer(new Uri("https://as.example.com/tenant1")).Select(uri => uri.AbsoluteUri));

    [Fact]
    public void An_issuer_without_a_path_tries_rfc8414_then_openid()
        => Assert.Equal(
            ["https://as.example.com/.well-known/oauth-authorization-server", "https://as.example.com/.well-known/openid-configuration"],
            WellKnownAddress.AuthorizationServer(new Uri("https://as.example.com")).Select(uri => uri.AbsoluteUri));
}
