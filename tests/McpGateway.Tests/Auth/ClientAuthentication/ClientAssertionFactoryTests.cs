using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Registration;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Tests.Auth.ClientAuthentication;

public sealed class ClientAssertionFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    private static ClientRegistration Client(string algorithm = "ES256") => new()
    {
        Issuer = "https://idp.test",
        ClientId = "client-1",
        TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt,
        SigningKey = ClientSigningKey.Generate(algorithm),
    };

    [Theory]
    [InlineData("ES256")]
    [InlineData("PS256")]
    [InlineData("RS256")]
    public async Task Assertion_is_signed_by_the_registered_public_key_with_iss_and_sub_the_client_aud_the_issuer_and_a_60_second_life(string algorithm)
    {
        var client = Client(algorithm);
        var assertion = new ClientAssertionFactory(_time).Create(client);

        var jwk = Assert.Single(client.SigningKey!.PublicKeySet().Keys);
        var publicKey = JsonWebKey.Create(System.Text.Json.JsonSerializer.Serialize(jwk, McpGateway.Hosting.GatewayJsonContext.Default.PublicJsonWebKey));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = "client-1",
            ValidAudience = "https://idp.test",
            IssuerSigningKey = publicKey,
            ValidAlgorithms = [algorithm],
            LifetimeValidator = (_, _, _, _) => true,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var token = new JsonWebToken(assertion);
        Assert.Equal(algorithm, token.Alg);
        Assert.Equal(client.SigningKey.KeyId, token.Kid);
        Assert.Equal(jwk.KeyId, token.Kid);
        Assert.Equal("client-1", token.Subject);
        Assert.Equal(["https://idp.test"], token.Audiences);
        Assert.Equal(Now.ToUnixTimeSeconds(), token.GetPayloadValue<long>("iat"));
        Assert.Equal(Now.ToUnixTimeSeconds(), token.GetPayloadValue<long>("nbf"));
        Assert.Equal(Now.ToUnixTimeSeconds() + 60, token.GetPayloadValue<long>("exp"));
        Assert.True(token.Id.Length >= 32, "no jti, or a short one");
    }

    [Fact]
    public void Every_assertion_has_its_own_jti()
    {
        var factory = new ClientAssertionFactory(_time);
        var client = Client();

        var ids = Enumerable.Range(0, 20).Select(_ => new JsonWebToken(factory.Create(client)).Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_private_key_client_sends_an_assertion_and_never_a_secret()
    {
        var client = Client() with { ClientSecret = "left-over-secret" };

        var fields = new ClientAssertionFactory(_time).Credentials(client).ToDictionary(field => field.Key, field => field.Value);

        Assert.Equal(["client_assertion", "client_assertion_type", "client_id"], fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", fields["client_assertion_type"]);
        Assert.Equal("client-1", fields["client_id"]);
        Assert.DoesNotContain(client.SigningKey!.PrivateKey, fields["client_assertion"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_client_sends_client_id_and_secret_in_the_form()
    {
        var client = new ClientRegistration { Issuer = "https://idp.test", ClientId = "client-2", ClientSecret = "s3cret" };

        var fields = new ClientAssertionFactory(_time).Credentials(client);

        Assert.Equal([KeyValuePair.Create("client_id", "client-2"), KeyValuePair.Create("client_secret", "s3cret")], fields);
    }

    [Fact]
    public void The_public_key_set_holds_no_private_parameter_and_the_key_never_prints()
    {
        var key = ClientSigningKey.Generate("ES256");

        var json = System.Text.Json.JsonSerializer.Serialize(key.PublicKeySet(), McpGateway.Hosting.GatewayJsonContext.Default.PublicJsonWebKeySet);

        Assert.DoesNotContain("\"d\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kty\":\"EC\"", json, StringComparison.Ordinal);
        Assert.Contains("\"crv\":\"P-256\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(key.PrivateKey, key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key.PrivateKey, (new ClientRegistration { Issuer = "i", ClientId = "c", SigningKey = key }).ToString(), StringComparison.Ordinal);
    }
}
