using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpGateway.Auth.Dpop;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Tests.Auth.Dpop;

public sealed class DpopProofFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 6, 30, 0, TimeSpan.Zero);
    private readonly DpopProofFactory _factory = new(new FakeTimeProvider(Now));

    [Fact]
    public async Task Proof_is_a_dpop_jwt_signed_by_the_public_key_in_its_own_jwk_header()
    {
        var key = DpopProofFactory.NewKey();
        var proof = new JsonWebToken(_factory.Create(key, HttpMethod.Post, new Uri("https://idp.test/token")));

        Assert.Equal("dpop+jwt", proof.Typ);
        Assert.Equal("ES256", proof.Alg);
        Assert.True(string.IsNullOrEmpty(proof.Kid), "a kid in the header");
        var jwk = proof.GetHeaderValue<JsonElement>("jwk");
        Assert.Equal(["crv", "kty", "x", "y"], jwk.EnumerateObject().Select(member => member.Name).Order(StringComparer.Ordinal));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(proof.EncodedToken, new TokenValidationParameters
        {
            IssuerSigningKey = JsonWebKey.Create(jwk.GetRawText()),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidTypes = ["dpop+jwt"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public void Token_request_proof_has_jti_htm_htu_without_query_and_iat_but_no_ath_or_nonce()
    {
        var proof = new JsonWebToken(_factory.Create(DpopProofFactory.NewKey(), HttpMethod.Post, new Uri("https://idp.test/token?x=1#frag")));

        Assert.Equal("POST", proof.GetPayloadValue<string>("htm"));
        Assert.Equal("https://idp.test/token", proof.GetPayloadValue<string>("htu"));
        Assert.Equal(Now.ToUnixTimeSeconds(), proof.GetPayloadValue<long>("iat"));
        Assert.True(proof.Id.Length >= 16, "no jti, or a short one");
        Assert.False(proof.TryGetPayloadValue<string>("ath", out _));
        Assert.False(proof.TryGetPayloadValue<string>("nonce", out _));
        Assert.False(proof.TryGetPayloadValue<long>("exp", out _));
    }

    [Fact]
    public void Resource_request_proof_carries_the_access_token_hash_and_the_nonce()
    {
        var proof = new JsonWebToken(_factory.Create(DpopProofFactory.NewKey(), HttpMethod.Get, new Uri("https://mcp.test/mcp"), "token-value", "nonce-1"));

        var expected = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes("token-value")));
        Assert.Equal(expected, proof.GetPayloadValue<string>("ath"));
        Assert.Equal("nonce-1", proof.GetPayloadValue<string>("nonce"));
        Assert.Equal("GET", proof.GetPayloadValue<string>("htm"));
    }

    [Fact]
    public void Access_token_hash_is_the_rfc_9449_example()
    {
        // RFC 9449 §7.1: the access token of the example and its ath.
        Assert.Equal("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo", DpopProofFactory.AccessTokenHash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"));
    }

    [Fact]
    public void Every_proof_has_its_own_jti()
    {
        var key = DpopProofFactory.NewKey();
        var uri = new Uri("https://mcp.test/mcp");

        Assert.NotEqual(new JsonWebToken(_factory.Create(key, HttpMethod.Post, uri)).Id, new JsonWebToken(_factory.Create(key, HttpMethod.Post, uri)).Id);
    }

    [Fact]
    public void Thumbprint_is_rfc_7638_over_the_required_members_in_lexical_order()
    {
        var key = DpopProofFactory.NewKey();
        var jwk = new JsonWebToken(_factory.Create(key, HttpMethod.Post, new Uri("https://idp.test/token"))).GetHeaderValue<JsonElement>("jwk");

        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{jwk.GetProperty("x").GetString()}}","y":"{{jwk.GetProperty("y").GetString()}}"}""";
        Assert.Equal(Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), DpopProofFactory.Thumbprint(key));
    }

    [Fact]
    public void A_key_read_back_from_the_token_set_proves_the_same_thumbprint_as_the_one_that_was_stored()
    {
        var key = DpopProofFactory.NewKey();
        var stored = System.Text.Json.JsonSerializer.Serialize(key, McpGateway.Hosting.GatewayJsonContext.Default.ClientSigningKey);
        var readBack = System.Text.Json.JsonSerializer.Deserialize(stored, McpGateway.Hosting.GatewayJsonContext.Default.ClientSigningKey)!;

        Assert.NotSame(key, readBack);
        Assert.Equal(DpopProofFactory.Thumbprint(key), DpopProofFactory.Thumbprint(readBack));
        var jwk = new JsonWebToken(_factory.Create(readBack, HttpMethod.Post, new Uri("https://idp.test/token"))).GetHeaderValue<JsonElement>("jwk");
        Assert.Equal(DpopProofFactory.Thumbprint(key), Base64UrlEncoder.Encode(JsonWebKey.Create(jwk.GetRawText()).ComputeJwkThumbprint()));
    }

    [Fact]
    public void Key_prints_without_its_private_part()
    {
        var key = DpopProofFactory.NewKey();

        Assert.DoesNotContain(key.PrivateKey, key.ToString(), StringComparison.Ordinal);
    }
}
