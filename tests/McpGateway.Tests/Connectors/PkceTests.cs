using McpGateway.Connectors.Authorization;

namespace McpGateway.Tests.Connectors;

public sealed class PkceTests
{
    [Fact]
    public void The_challenge_is_the_rfc7636_s256_of_the_verifier()
        => Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

    [Fact]
    public void Secrets_are_43_characters_and_differ()
    {
        var first = Pkce.NewSecret();
        Assert.Equal(43, first.Length);
        Assert.NotEqual(first, Pkce.NewSecret());
    }
}
