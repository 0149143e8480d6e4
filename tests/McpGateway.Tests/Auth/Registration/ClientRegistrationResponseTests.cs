using System.Text.Json;
using McpGateway.Auth.Registration;
using McpGateway.Hosting;

namespace McpGateway.Tests.Auth.Registration;

public sealed class ClientRegistrationResponseTests
{
    private const string Issuer = "https://login.example.com";
    private const string Digest = "digest-1";

    private static readonly ClientRegistration Previous = new()
    {
        Issuer = Issuer,
        ClientId = "client-1",
        ClientSecret = "old-secret",
        ClientIdIssuedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        ClientSecretExpiresAt = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000),
        RegistrationAccessToken = "old-rat",
        RegistrationClientUri = Issuer + "/reg/client-1",
        MetadataDigest = "old-digest",
    };

    [Fact]
    public void Full_response_maps_every_field()
    {
        var registration = Parse("""
            {"client_id":"client-1","client_secret":"s","client_id_issued_at":1700000000,"client_secret_expires_at":1900000000,
             "registration_access_token":"rat","registration_client_uri":"https://login.example.com/reg/client-1",
             "grant_types":["authorization_code"],"token_endpoint_auth_method":"client_secret_basic"}
            """).ToRegistration(Issuer, Digest);

        Assert.Equal(Issuer, registration.Issuer);
        Assert.Equal("client-1", registration.ClientId);
        Assert.Equal("s", registration.ClientSecret);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), registration.ClientIdIssuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), registration.ClientSecretExpiresAt);
        Assert.Equal("rat", registration.RegistrationAccessToken);
        Assert.Equal("https://login.example.com/reg/client-1", registration.RegistrationClientUri);
        Assert.Equal(["authorization_code"], registration.GrantTypes);
        Assert.Equal("client_secret_basic", registration.TokenEndpointAuthMethod);
        Assert.Equal(Digest, registration.MetadataDigest);
        Assert.False(registration.Preconfigured);
        Assert.True(registration.IsManageable);
    }

    [Fact]
    public void Secret_expiry_of_zero_means_it_never_expires()
    {
        var registration = new ClientRegistrationResponse { ClientId = "c", ClientSecret = "s", ClientSecretExpiresAt = 0 }.ToRegistration(Issuer, Digest);

        Assert.Null(registration.ClientSecretExpiresAt);
        Assert.False(registration.NeedsRenewal(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Missing_grant_types_and_auth_method_default_to_what_was_asked_for()
    {
        var registration = new ClientRegistrationResponse { ClientId = "c" }.ToRegistration(Issuer, Digest);

        Assert.Equal(["authorization_code", "refresh_token"], registration.GrantTypes);
        Assert.Equal("client_secret_post", registration.TokenEndpointAuthMethod);
        Assert.Null(registration.ClientIdIssuedAt);
    }

    [Fact]
    public void Read_of_the_same_client_that_omits_secret_and_token_keeps_the_previous_ones()
    {
        var registration = new ClientRegistrationResponse { ClientId = "client-1" }.ToRegistration(Issuer, Digest, Previous);

        Assert.Equal("old-secret", registration.ClientSecret);
        Assert.Equal("old-rat", registration.RegistrationAccessToken);
        Assert.Equal(Previous.RegistrationClientUri, registration.RegistrationClientUri);
        Assert.Equal(Previous.ClientIdIssuedAt, registration.ClientIdIssuedAt);
        Assert.Equal(Digest, registration.MetadataDigest);
    }

    [Fact]
    public void Read_that_rotates_secret_and_token_replaces_the_previous_ones()
    {
        var registration = new ClientRegistrationResponse { ClientId = "client-1", ClientSecret = "new-secret", RegistrationAccessToken = "new-rat" }
            .ToRegistration(Issuer, Digest, Previous);

        Assert.Equal("new-secret", registration.ClientSecret);
        Assert.Equal("new-rat", registration.RegistrationAccessToken);
    }

    [Fact]
    public void Response_for_another_client_never_inherits_the_previous_credentials()
    {
        var registration = new ClientRegistrationResponse { ClientId = "client-2" }.ToRegistration(Issuer, Digest, Previous);

        Assert.Equal("client-2", registration.ClientId);
        Assert.Null(registration.ClientSecret);
        Assert.Null(registration.RegistrationAccessToken);
        Assert.Null(registration.RegistrationClientUri);
        Assert.False(registration.IsManageable);
    }

    [Fact]
    public void Response_for_another_client_does_not_inherit_the_previous_issue_time()
    {
        var registration = new ClientRegistrationResponse { ClientId = "client-2" }.ToRegistration(Issuer, Digest, Previous);

        Assert.Null(registration.ClientIdIssuedAt);
    }

    [Fact]
    public void Kept_previous_secret_keeps_its_expiry()
    {
        var registration = new ClientRegistrationResponse { ClientId = "client-1" }.ToRegistration(Issuer, Digest, Previous);

        Assert.Equal("old-secret", registration.ClientSecret);
        Assert.Equal(Previous.ClientSecretExpiresAt, registration.ClientSecretExpiresAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Response_without_client_id_throws_a_registration_exception(string? clientId)
    {
        var exception = Assert.Throws<ClientRegistrationException>(
            () => new ClientRegistrationResponse { ClientId = clientId, ClientSecret = "must-not-leak" }.ToRegistration(Issuer, Digest, Previous));

        Assert.Contains("client_id", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("must-not-leak", exception.Message, StringComparison.Ordinal);
    }

    private static ClientRegistrationResponse Parse(string json)
        => JsonSerializer.Deserialize(json, GatewayJsonContext.Default.ClientRegistrationResponse)!;

    [Fact]
    public void A_private_key_jwt_registration_keeps_its_new_key_and_no_secret_of_the_client_it_was_updated_from()
    {
        var key = McpGateway.Auth.ClientAuthentication.ClientSigningKey.Generate("ES256");

        var registration = new ClientRegistrationResponse { ClientId = Previous.ClientId, TokenEndpointAuthMethod = "private_key_jwt" }
            .ToRegistration(Issuer, Digest, Previous, key);

        Assert.Equal(key, registration.SigningKey);
        Assert.True(registration.UsesPrivateKey);
        Assert.Null(registration.ClientSecret);
        Assert.Null(registration.ClientSecretExpiresAt);
        Assert.Equal(Previous.RegistrationAccessToken, registration.RegistrationAccessToken);
    }

    [Fact]
    public void A_read_of_a_private_key_jwt_client_keeps_the_stored_key_and_a_client_secret_post_answer_drops_it()
    {
        var keyed = Previous with { ClientSecret = null, TokenEndpointAuthMethod = "private_key_jwt", SigningKey = McpGateway.Auth.ClientAuthentication.ClientSigningKey.Generate("ES256") };

        var read = new ClientRegistrationResponse { ClientId = keyed.ClientId }.ToRegistration(Issuer, Digest, keyed);
        var downgraded = new ClientRegistrationResponse { ClientId = keyed.ClientId, ClientSecret = "s", TokenEndpointAuthMethod = "client_secret_post" }.ToRegistration(Issuer, Digest, keyed);

        Assert.Equal(keyed.SigningKey, read.SigningKey);
        Assert.Equal("private_key_jwt", read.TokenEndpointAuthMethod);
        Assert.Null(downgraded.SigningKey);
        Assert.False(downgraded.UsesPrivateKey);
    }
}
