using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Registration;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Tests.Auth.ClientAuthentication;

public sealed class ClientAuthChoiceTests
{
    private static OpenIdConnectConfiguration Server(string[] methods, string[]? algorithms = null)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = "https://idp.test" };
        foreach (var method in methods)
        {
            configuration.TokenEndpointAuthMethodsSupported.Add(method);
        }

        foreach (var algorithm in algorithms ?? [])
        {
            configuration.TokenEndpointAuthSigningAlgValuesSupported.Add(algorithm);
        }

        return configuration;
    }

    [Fact]
    public void Auto_takes_private_key_jwt_with_es256_when_the_server_offers_both()
    {
        var choice = ClientAuthChoice.For("auto", Server(["client_secret_post", "private_key_jwt"], ["HS256", "RS256", "PS256", "ES256"]));

        Assert.Equal(new ClientAuthChoice("private_key_jwt", "ES256"), choice);
    }

    [Fact]
    public void Auto_prefers_ps256_over_rs256_and_assumes_rs256_when_no_algorithm_is_listed()
    {
        Assert.Equal("PS256", ClientAuthChoice.For("auto", Server(["private_key_jwt"], ["RS256", "PS256"])).SigningAlgorithm);
        Assert.Equal("RS256", ClientAuthChoice.For("auto", Server(["private_key_jwt"])).SigningAlgorithm);
    }

    [Theory]
    [InlineData(new[] { "client_secret_basic", "client_secret_post" }, new[] { "RS256" })]
    [InlineData(new[] { "private_key_jwt", "client_secret_post" }, new[] { "HS256", "EdDSA" })]
    public void Auto_falls_back_to_client_secret_post_without_private_key_jwt_or_a_usable_algorithm(string[] methods, string[] algorithms)
    {
        Assert.Equal(ClientAuthChoice.SecretPost, ClientAuthChoice.For("auto", Server(methods, algorithms)));
    }

    [Fact]
    public void Client_secret_post_is_kept_even_when_the_server_offers_private_key_jwt()
    {
        Assert.Equal(ClientAuthChoice.SecretPost, ClientAuthChoice.For("client_secret_post", Server(["private_key_jwt"], ["ES256"])));
    }

    [Fact]
    public void Private_key_jwt_forced_against_a_server_without_it_fails_naming_the_setting_and_the_server()
    {
        var error = Assert.Throws<ClientRegistrationException>(() => ClientAuthChoice.For("private_key_jwt", Server(["client_secret_basic", "client_secret_post"])));

        Assert.Contains("Auth:TokenEndpointAuthMethod", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://idp.test", error.Message, StringComparison.Ordinal);
        Assert.Contains("token_endpoint_auth_methods_supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Private_key_jwt_forced_against_a_server_with_only_unusable_algorithms_fails_naming_them()
    {
        var error = Assert.Throws<ClientRegistrationException>(() => ClientAuthChoice.For("private_key_jwt", Server(["private_key_jwt"], ["EdDSA"])));

        Assert.Contains("EdDSA", error.Message, StringComparison.Ordinal);
    }
}
