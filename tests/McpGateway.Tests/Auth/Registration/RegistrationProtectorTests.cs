using System.Text;
using System.Text.Json;
using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Registration;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace McpGateway.Tests.Auth.Registration;

public sealed class RegistrationProtectorTests
{
    private const string Secret = "cs-3f8a1d9e7b2c4d5e6f708192a3b4c5d6";
    private const string RegistrationToken = "rat-9e8d7c6b5a4f3e2d1c0b";
    private const string PreviousSecret = "cs-previous-11223344556677889900";
    private const string PreviousToken = "rat-previous-aabbccddeeff0011";

    private readonly EphemeralDataProtectionProvider _keys = new();

    private static readonly ClientRegistration Current = new()
    {
        Issuer = "https://login.example.com",
        ClientId = "client-2",
        ClientSecret = Secret,
        ClientIdIssuedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_500),
        ClientSecretExpiresAt = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000),
        RegistrationAccessToken = RegistrationToken,
        RegistrationClientUri = "https://login.example.com/reg/client-2",
        GrantTypes = ["authorization_code", "refresh_token"],
        TokenEndpointAuthMethod = "client_secret_post",
        MetadataDigest = "abc123",
    };

    private static readonly ClientRegistration Previous = Current with
    {
        ClientId = "client-1",
        ClientSecret = PreviousSecret,
        RegistrationAccessToken = PreviousToken,
        RegistrationClientUri = "https://login.example.com/reg/client-1",
    };

    [Fact]
    public void Registration_round_trips_with_every_field()
    {
        var protector = new RegistrationProtector(_keys);

        var restored = protector.Deserialize(protector.Serialize(new StoredRegistration(Current, Previous)));

        Assert.NotNull(restored);
        AssertSame(Current, restored.Current);
        Assert.NotNull(restored.Previous);
        AssertSame(Previous, restored.Previous);
    }

    [Fact]
    public void Registration_without_previous_or_secrets_round_trips()
    {
        var protector = new RegistrationProtector(_keys);
        var bare = Current with { ClientSecret = null, RegistrationAccessToken = null, RegistrationClientUri = null };

        var restored = protector.Deserialize(protector.Serialize(new StoredRegistration(bare, null)));

        Assert.NotNull(restored);
        AssertSame(bare, restored.Current);
        Assert.Null(restored.Previous);
    }

    [Fact]
    public void Serialized_bytes_contain_no_secret_or_registration_access_token_in_clear()
    {
        var data = new RegistrationProtector(_keys).Serialize(new StoredRegistration(Current, Previous));

        foreach (var secret in new[] { Secret, RegistrationToken, PreviousSecret, PreviousToken })
        {
            Assert.False(Secrets.AppearIn(data, secret), secret);
        }
    }

    [Fact]
    public void A_private_key_jwt_client_round_trips_with_its_key_whose_private_half_is_never_stored_in_clear()
    {
        var protector = new RegistrationProtector(_keys);
        var key = ClientSigningKey.Generate("ES256");
        var client = Current with { ClientSecret = null, TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt, SigningKey = key };

        var data = protector.Serialize(new StoredRegistration(client, Previous));
        var restored = protector.Deserialize(data);

        Assert.False(Secrets.AppearIn(data, key.PrivateKey), "the private key is in clear");
        Assert.Equal(key, restored!.Current.SigningKey);
        Assert.True(restored.Current.UsesPrivateKey);
        using var json = JsonDocument.Parse(data);
        Assert.Equal(key.KeyId, json.RootElement.GetProperty("current").GetProperty("signing_key").GetProperty("kid").GetString());
    }

    [Fact]
    public void Serialized_form_keeps_non_secret_fields_readable()
    {
        // Operators can see which client is stored without the keys; only credentials are encrypted.
        var data = new RegistrationProtector(_keys).Serialize(new StoredRegistration(Current, null));

        using var json = JsonDocument.Parse(data);
        Assert.Equal("client-2", json.RootElement.GetProperty("current").GetProperty("client_id").GetString());
        Assert.NotEqual(Secret, json.RootElement.GetProperty("current").GetProperty("client_secret").GetString());
    }

    [Fact]
    public void Data_written_with_other_keys_is_unreadable_and_returns_null()
    {
        var data = new RegistrationProtector(new EphemeralDataProtectionProvider()).Serialize(new StoredRegistration(Current, Previous));

        Assert.Null(new RegistrationProtector(_keys).Deserialize(data));
    }

    public static TheoryData<string> Garbage =>
    [
        "not json at all",
        "{\"current\":",
        "[1,2,3]",
        "null",
        "{\"current\":{\"issuer\":\"i\",\"client_id\":\"c\",\"client_secret\":\"not-protected!\"},\"previous\":null}",
        "{\"current\":{\"issuer\":\"i\",\"client_id\":\"c\",\"client_secret\":\"Q2ZESjhBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\"},\"previous\":null}",
        "{\"current\":{\"client_id\":\"c\"},\"previous\":null}",
    ];

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_returns_null(string data)
        => Assert.Null(new RegistrationProtector(_keys).Deserialize(Encoding.UTF8.GetBytes(data)));

    [Fact]
    public void Random_bytes_return_null()
        => Assert.Null(new RegistrationProtector(_keys).Deserialize(System.Security.Cryptography.RandomNumberGenerator.GetBytes(256)));

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"current\":null,\"previous\":null}")]
    public void Json_without_a_current_registration_returns_null(string data)
        => Assert.Null(new RegistrationProtector(_keys).Deserialize(Encoding.UTF8.GetBytes(data)));

    private static void AssertSame(ClientRegistration expected, ClientRegistration actual)
    {
        Assert.Equal(expected.Issuer, actual.Issuer);
        Assert.Equal(expected.ClientId, actual.ClientId);
        Assert.Equal(expected.ClientSecret, actual.ClientSecret);
        Assert.Equal(expected.ClientIdIssuedAt, actual.ClientIdIssuedAt);
        Assert.Equal(expected.ClientSecretExpiresAt, actual.ClientSecretExpiresAt);
        Assert.Equal(expected.RegistrationAccessToken, actual.RegistrationAccessToken);
        Assert.Equal(expected.RegistrationClientUri, actual.RegistrationClientUri);
        Assert.Equal(expected.GrantTypes, actual.GrantTypes);
        Assert.Equal(expected.TokenEndpointAuthMethod, actual.TokenEndpointAuthMethod);
        Assert.Equal(expected.MetadataDigest, actual.MetadataDigest);
        Assert.Equal(expected.Preconfigured, actual.Preconfigured);
    }
}
