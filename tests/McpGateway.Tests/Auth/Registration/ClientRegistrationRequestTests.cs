using System.Text.Json;
using McpGateway.Auth;
using McpGateway.Auth.Registration;
using McpGateway.Hosting;

namespace McpGateway.Tests.Auth.Registration;

public sealed class ClientRegistrationRequestTests
{
    [Theory]
    [InlineData("https://chat.example.com")]
    [InlineData("https://chat.example.com/")]
    public void Redirect_uris_are_exact_paths_below_the_public_origin(string origin)
    {
        var request = For(origin: origin);

        Assert.Equal(["https://chat.example.com/signin-oidc"], request.RedirectUris);
        Assert.Equal(["https://chat.example.com/"], request.PostLogoutRedirectUris);
        Assert.Equal("https://chat.example.com/auth/backchannel", request.BackchannelLogoutUri);
    }

    [Fact]
    public void Redirect_uris_keep_a_non_default_port()
    {
        var request = For(origin: "http://127.0.0.1:5080");

        Assert.Equal(["http://127.0.0.1:5080/signin-oidc"], request.RedirectUris);
        Assert.Equal(["http://127.0.0.1:5080/"], request.PostLogoutRedirectUris);
        Assert.Equal("http://127.0.0.1:5080/auth/backchannel", request.BackchannelLogoutUri);
    }

    [Fact]
    public void Request_is_a_confidential_web_client_for_the_code_flow_with_refresh()
    {
        var request = For();

        Assert.Equal(["authorization_code", "refresh_token"], request.GrantTypes);
        Assert.Equal(["code"], request.ResponseTypes);
        Assert.Equal("web", request.ApplicationType);
        Assert.Equal("client_secret_post", request.TokenEndpointAuthMethod);
        Assert.True(request.BackchannelLogoutSessionRequired);
        Assert.Null(request.ClientId);
    }

    [Fact]
    public void Client_name_and_scopes_come_from_the_options_with_scopes_normalised()
    {
        var request = For(scopes: "  openid   profile offline_access ", clientName: "Chat BFF");

        Assert.Equal("openid profile offline_access", request.Scope);
        Assert.Equal("Chat BFF", request.ClientName);
    }

    [Fact]
    public void Request_serialises_with_rfc7591_member_names_and_without_client_id()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(For(), GatewayJsonContext.Default.ClientRegistrationRequest));
        var root = json.RootElement;

        Assert.Equal("https://chat.example.com/signin-oidc", root.GetProperty("redirect_uris")[0].GetString());
        Assert.Equal("https://chat.example.com/", root.GetProperty("post_logout_redirect_uris")[0].GetString());
        Assert.Equal("https://chat.example.com/auth/backchannel", root.GetProperty("backchannel_logout_uri").GetString());
        Assert.True(root.GetProperty("backchannel_logout_session_required").GetBoolean());
        Assert.Equal("client_secret_post", root.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("web", root.GetProperty("application_type").GetString());
        Assert.Equal("code", root.GetProperty("response_types")[0].GetString());
        Assert.Equal(2, root.GetProperty("grant_types").GetArrayLength());
        Assert.Equal("openid profile offline_access", root.GetProperty("scope").GetString());
        Assert.Equal("McpGateway", root.GetProperty("client_name").GetString());
        Assert.False(root.TryGetProperty("client_id", out _));
    }

    [Fact]
    public void Update_request_carries_the_client_id()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(For() with { ClientId = "abc" }, GatewayJsonContext.Default.ClientRegistrationRequest));

        Assert.Equal("abc", json.RootElement.GetProperty("client_id").GetString());
    }

    [Fact]
    public void Digest_is_stable_for_the_same_configuration()
    {
        var digest = For().Digest();

        Assert.Equal(digest, For().Digest());
        Assert.Matches("^[0-9a-f]{64}$", digest);
    }

    [Fact]
    public void Digest_ignores_the_client_id_of_an_update()
        => Assert.Equal(For().Digest(), (For() with { ClientId = "abc" }).Digest());

    [Fact]
    public void Digest_ignores_white_space_differences_in_scopes()
        => Assert.Equal(For(scopes: "openid profile").Digest(), For(scopes: " openid  profile ").Digest());

    [Theory]
    [InlineData("https://chat2.example.com", null, null)]
    [InlineData("https://chat.example.com:8443", null, null)]
    [InlineData("http://chat.example.com", null, null)]
    [InlineData(null, "openid profile", null)]
    [InlineData(null, "openid profile offline_access email", null)]
    [InlineData(null, null, "Other name")]
    public void Digest_changes_when_the_origin_scopes_or_name_change(string? origin, string? scopes, string? clientName)
        => Assert.NotEqual(For().Digest(), For(origin ?? "https://chat.example.com", scopes ?? AuthOptions.DefaultScopes, clientName ?? "McpGateway").Digest());

    [Fact]
    public void A_private_key_jwt_request_names_the_method_the_algorithm_and_the_public_key_which_the_digest_leaves_out()
    {
        var choice = new McpGateway.Auth.ClientAuthentication.ClientAuthChoice("private_key_jwt", "ES256");
        var request = ClientRegistrationRequest.For(
            new AuthOptions { Authority = "https://login.example.com" }, new GatewayOptions { PublicOrigin = "https://chat.example.com" }, choice);
        var key = McpGateway.Auth.ClientAuthentication.ClientSigningKey.Generate("ES256");

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(request with { Jwks = key.PublicKeySet() }, GatewayJsonContext.Default.ClientRegistrationRequest));

        var root = json.RootElement;
        Assert.Equal("private_key_jwt", root.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("ES256", root.GetProperty("token_endpoint_auth_signing_alg").GetString());
        Assert.Equal(key.KeyId, root.GetProperty("jwks").GetProperty("keys")[0].GetProperty("kid").GetString());
        Assert.False(root.GetProperty("jwks").GetProperty("keys")[0].TryGetProperty("d", out _));
        Assert.Equal(request.Digest(), (request with { Jwks = key.PublicKeySet() }).Digest());
        Assert.NotEqual(For().Digest(), request.Digest());
    }

    [Fact]
    public void A_client_secret_post_request_has_no_algorithm_or_jwks_member()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(For(), GatewayJsonContext.Default.ClientRegistrationRequest));

        Assert.False(json.RootElement.TryGetProperty("jwks", out _));
        Assert.False(json.RootElement.TryGetProperty("token_endpoint_auth_signing_alg", out _));
    }

    private static ClientRegistrationRequest For(string origin = "https://chat.example.com", string scopes = AuthOptions.DefaultScopes, string clientName = "McpGateway")
        => ClientRegistrationRequest.For(
            new AuthOptions { Authority = "https://login.example.com", Scopes = scopes, ClientName = clientName },
            new GatewayOptions { PublicOrigin = origin });
}
