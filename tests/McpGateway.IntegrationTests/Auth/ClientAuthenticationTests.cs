using System.Net;
using System.Text;
using System.Text.Json;
using McpGateway.Auth.Registration;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Auth;

/// <summary>
/// How the gateway authenticates to the real provider (oidc-provider 9 offers private_key_jwt at its
/// defaults): private_key_jwt with a key of its own by default, client_secret_post when configured or
/// when the server does not offer private_key_jwt.
/// </summary>
[Collection(nameof(AuthStackCollection))]
public sealed class ClientAuthenticationTests(AuthStack stack)
{
    [Fact]
    public async Task By_default_the_gateway_registers_private_key_jwt_with_an_inline_public_key_and_holds_no_client_secret()
    {
        var settings = stack.Settings();
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        var client = gateway.GetRequiredService<ClientRegistrationState>().Current!;

        Assert.Equal("private_key_jwt", client.TokenEndpointAuthMethod);
        Assert.Null(client.ClientSecret);
        Assert.NotNull(client.SigningKey);
        var registered = await stack.Provider.ReadClientAsync(client.RegistrationClientUri!, client.RegistrationAccessToken!);
        Assert.Equal("private_key_jwt", registered.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal(client.SigningKey.Algorithm, registered.GetProperty("token_endpoint_auth_signing_alg").GetString());
        Assert.False(registered.TryGetProperty("client_secret", out _), "the provider issued a client secret");
        var jwk = Assert.Single(registered.GetProperty("jwks").GetProperty("keys").EnumerateArray());
        Assert.Equal(client.SigningKey.KeyId, jwk.GetProperty("kid").GetString());
        Assert.False(jwk.TryGetProperty("d", out _), "the private key was registered");

        await using var redis = await stack.Redis.ConnectAsync();
        var stored = Encoding.UTF8.GetString((byte[])(await redis.GetDatabase().StringGetAsync(settings.KeyPrefix + "dcr:" + stack.Provider.Issuer))!);
        Assert.Contains(client.SigningKey.KeyId, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(client.SigningKey.PrivateKey, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("client_secret\":\"", stored, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var info = await http.GetStringAsync("/auth/client");
        Assert.Equal("private_key_jwt", JsonDocument.Parse(info).RootElement.GetProperty("token_endpoint_auth_method").GetString());
        Assert.DoesNotContain(client.SigningKey.PrivateKey, info, StringComparison.Ordinal);
        Assert.DoesNotContain("signing_key", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_private_key_jwt_sign_in_refresh_and_logout_are_authenticated_by_assertion_and_logout_leaves_the_refresh_token_inactive()
        => await SignInRefreshAndLogOutAsync(stack.Settings(), "private_key_jwt", "paula");

    [Fact]
    public async Task With_client_secret_post_configured_sign_in_refresh_and_logout_use_the_secret_which_redis_holds_only_encrypted()
    {
        var settings = stack.Settings() with { TokenEndpointAuthMethod = "client_secret_post" };
        var client = await SignInRefreshAndLogOutAsync(settings, "client_secret_post", "quentin");

        Assert.NotNull(client.ClientSecret);
        Assert.Null(client.SigningKey);
        await using var redis = await stack.Redis.ConnectAsync();
        var stored = Encoding.UTF8.GetString((byte[])(await redis.GetDatabase().StringGetAsync(settings.KeyPrefix + "dcr:" + stack.Provider.Issuer))!);
        Assert.DoesNotContain(client.ClientSecret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_a_server_without_private_key_jwt_auto_falls_back_to_client_secret_post_and_forcing_it_keeps_the_gateway_unready_naming_the_setting()
    {
        await using var provider = await OidcProvider.StartAsync(clientAuthMethods: "client_secret_basic client_secret_post");
        await using var automatic = GatewayHost.Start(stack.Settings() with { Authority = provider.Issuer });
        await using var forced = GatewayHost.Start(stack.Settings() with { Authority = provider.Issuer, TokenEndpointAuthMethod = "private_key_jwt" });

        await automatic.WaitUntilReadyAsync();
        var client = automatic.GetRequiredService<ClientRegistrationState>().Current!;
        Assert.Equal("client_secret_post", client.TokenEndpointAuthMethod);
        Assert.NotNull(client.ClientSecret);
        using var browser = automatic.CreateBrowser();
        await browser.LoginAsync("rita");
        await browser.AssertSignedInAsync("rita");

        using var http = new HttpClient { BaseAddress = forced.BaseAddress };
        string description = "";
        await GatewayAssertions.EventuallyAsync(async () =>
        {
            using var ready = await http.GetAsync("/readyz");
            description = (await ready.JsonAsync()).GetProperty("checks").GetProperty("registration").GetProperty("description").GetString() ?? "";
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable && description.Contains("Auth:TokenEndpointAuthMethod", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "the forced gateway reports why it cannot register");
        Assert.Contains("token_endpoint_auth_methods_supported", description, StringComparison.Ordinal);
        Assert.Equal(1, await provider.CountAsync("registrations"));
    }

    [Fact]
    public async Task A_client_secret_post_registration_stored_before_is_updated_to_private_key_jwt_when_the_gateway_restarts_with_auto()
    {
        var settings = stack.Settings();
        ClientRegistration before;
        await using (var old = GatewayHost.Start(settings with { TokenEndpointAuthMethod = "client_secret_post" }))
        {
            await old.WaitUntilReadyAsync();
            before = old.GetRequiredService<ClientRegistrationState>().Current!;
            Assert.Equal("client_secret_post", before.TokenEndpointAuthMethod);
        }

        await using var upgraded = GatewayHost.Start(settings);
        await upgraded.WaitUntilReadyAsync();
        var after = upgraded.GetRequiredService<ClientRegistrationState>().Current!;

        // The same client, updated in place (RFC 7592 PUT) with its new key, and the old secret forgotten.
        Assert.Equal(before.ClientId, after.ClientId);
        Assert.Equal("private_key_jwt", after.TokenEndpointAuthMethod);
        Assert.NotNull(after.SigningKey);
        Assert.Null(after.ClientSecret);
        var registered = await stack.Provider.ReadClientAsync(after.RegistrationClientUri!, after.RegistrationAccessToken!);
        Assert.Equal("private_key_jwt", registered.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal(after.SigningKey.KeyId, registered.GetProperty("jwks").GetProperty("keys")[0].GetProperty("kid").GetString());
        using var browser = upgraded.CreateBrowser();
        await browser.LoginAsync("sven");
        await browser.AssertSignedInAsync("sven");
    }

    private async Task<ClientRegistration> SignInRefreshAndLogOutAsync(GatewaySettings settings, string method, string user)
    {
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        var client = gateway.GetRequiredService<ClientRegistrationState>().Current!;
        Assert.Equal(method, client.TokenEndpointAuthMethod);
        var registered = await stack.Provider.ReadClientAsync(client.RegistrationClientUri!, client.RegistrationAccessToken!);
        Assert.Equal(method, registered.GetProperty("token_endpoint_auth_method").GetString());

        // The pushed request and the code redemption: a confidential client's sign-in fails unless both authenticate.
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync(user);
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokenService = gateway.GetRequiredService<SessionTokenService>();
        var first = (await tokenService.ReadAsync(id, CancellationToken.None))!;

        // The refresh, once the 5-second access token has expired.
        var refreshes = await stack.Provider.CountAsync("token", "refresh_token");
        await Task.Delay(first.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500));
        await browser.AssertSignedInAsync(user);
        Assert.True(await stack.Provider.CountAsync("token", "refresh_token") > refreshes, "no refresh reached the provider");
        var refreshed = (await tokenService.ReadAsync(id, CancellationToken.None))!;
        Assert.NotEqual(first.AccessToken, refreshed.AccessToken);
        Assert.True(await stack.Provider.IsActiveAsync(refreshed.RefreshToken!));

        // Revocation at logout (RFC 7009), authenticated the same way.
        var revocations = await stack.Provider.CountAsync("revocations");
        using var logout = await browser.PostAsync("/auth/logout");
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal(revocations + 2, await stack.Provider.CountAsync("revocations"));
        Assert.False(await stack.Provider.IsActiveAsync(refreshed.RefreshToken!));
        Assert.False(await stack.Provider.IsActiveAsync(refreshed.AccessToken));

        Assert.DoesNotContain(stack.Provider.Log, line => line.Contains(client.ClientId, StringComparison.Ordinal) && line.Contains("\"outcome\":\"error\"", StringComparison.Ordinal));
        GatewaySecrets.AssertNotInLogs(gateway, new[] { client.ClientSecret, client.SigningKey?.PrivateKey, client.RegistrationAccessToken, refreshed.RefreshToken }.OfType<string>());
        return client;
    }
}
