using McpGateway.Auth.Discovery;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Tests.Auth.Discovery;

public sealed class PkceSupportTests
{
    [Theory]
    [InlineData("""{"code_challenge_methods_supported":["plain","S256"]}""", true)]
    [InlineData("""{"code_challenge_methods_supported":["plain"]}""", false)]
    [InlineData("""{"code_challenge_methods_supported":["s256"]}""", false)]
    [InlineData("""{}""", false)]
    public void S256_must_be_listed_exactly(string metadata, bool advertised)
        => Assert.Equal(advertised, PkceSupport.IsAdvertised(new OpenIdConnectConfiguration(metadata)));
}
