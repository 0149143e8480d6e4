using McpGateway.Auth.Dpop;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Tests.Auth.Dpop;

public sealed class DpopModesTests
{
    private static OpenIdConnectConfiguration Server(params string[] algorithms)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = "https://idp.test" };
        foreach (var algorithm in algorithms)
        {
            configuration.DPoPSigningAlgValuesSupported.Add(algorithm);
        }

        return configuration;
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("required", true)]
    [InlineData("off", false)]
    public void Server_offering_es256_proofs_gets_dpop_unless_it_is_off(string setting, bool expected)
        => Assert.Equal(expected, DpopModes.Uses(setting, Server("ES256", "EdDSA")));

    [Fact]
    public void Server_without_es256_proofs_gets_bearer_tokens_in_auto()
    {
        Assert.False(DpopModes.Uses("auto", Server()));
        Assert.False(DpopModes.Uses("auto", Server("EdDSA")));
    }

    [Fact]
    public void Required_dpop_fails_the_sign_in_naming_the_key_when_the_server_does_not_offer_it()
    {
        var failure = Assert.Throws<OpenIdConnectProtocolException>(() => DpopModes.Uses("required", Server("EdDSA")));

        Assert.Contains("Auth:Dpop", failure.Message, StringComparison.Ordinal);
    }
}
