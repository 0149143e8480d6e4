using System.Net;
using System.Text;
using McpGateway.Auth.Registration;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Auth;

[Collection(nameof(AuthStackCollection))]
public sealed class RegistrationTests(AuthStack stack)
{
    [Fact]
    public async Task Two_gateways_started_together_on_one_redis_register_exactly_once()
    {
        var before = await stack.Provider.CountAsync("registrations");
        var settings = stack.Settings() with { PublicOrigin = new Uri("http://127.0.0.1:" + FreePort.Next()) };

        var starting = new[] { Task.Run(() => GatewayHost.Start(settings)), Task.Run(() => GatewayHost.Start(settings)) };
        await using var first = await starting[0];
        await using var second = await starting[1];
        await Task.WhenAll(first.WaitUntilReadyAsync(), second.WaitUntilReadyAsync());

        Assert.Equal(before + 1, await stack.Provider.CountAsync("registrations"));
        var firstClient = first.GetRequiredService<ClientRegistrationState>().Current!.ClientId;
        Assert.Equal(firstClient, second.GetRequiredService<ClientRegistrationState>().Current!.ClientId);
    }

    [Fact]
    public async Task A_restart_reuses_the_stored_registration_whose_secrets_are_encrypted_in_redis()
    {
        var settings = stack.Settings();
        ClientRegistration client;
        await using (var gateway = GatewayHost.Start(settings))
        {
            await gateway.WaitUntilReadyAsync();
            client = gateway.GetRequiredService<ClientRegistrationState>().Current!;
            Assert.NotNull(client.RegistrationAccessToken);
            Assert.NotNull(client.SigningKey);

            await using var redis = await stack.Redis.ConnectAsync();
            var raw = (byte[])(await redis.GetDatabase().StringGetAsync(settings.KeyPrefix + "dcr:" + stack.Provider.Issuer))!;
            var text = Encoding.UTF8.GetString(raw);
            Assert.Contains(client.ClientId, text, StringComparison.Ordinal);
            Assert.Contains(client.SigningKey.KeyId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(client.SigningKey.PrivateKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(client.RegistrationAccessToken, text, StringComparison.Ordinal);
        }

        var before = await stack.Provider.CountAsync("registrations");
        await using var restarted = GatewayHost.Start(settings);
        await restarted.WaitUntilReadyAsync();

        Assert.Equal(before, await stack.Provider.CountAsync("registrations"));
        var reused = restarted.GetRequiredService<ClientRegistrationState>().Current!;
        Assert.Equal(client.ClientId, reused.ClientId);
        Assert.Equal(client.SigningKey, reused.SigningKey);
    }

    [Fact]
    public async Task With_the_authorization_server_down_at_start_up_the_gateway_starts_not_ready_and_becomes_ready_when_it_is_up()
    {
        await using var provider = await OidcProvider.StartAsync(start: false);
        await using var gateway = GatewayHost.Start(stack.Settings() with { Authority = provider.Issuer });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using (var notReady = await http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            var checks = (await notReady.JsonAsync()).GetProperty("checks");
            Assert.Equal("Unhealthy", checks.GetProperty("authority").GetProperty("status").GetString());
            Assert.Contains(provider.Issuer, checks.GetProperty("authority").GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
        }

        using (var login = await http.GetAsync("/auth/login"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.Equal("temporarily_unavailable", await login.ErrorCodeAsync());
        }

        using (var healthz = await http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        }

        await provider.StartAgainAsync();
        await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await provider.CountAsync("registrations"));
    }

    [Fact]
    public async Task An_expired_client_secret_is_replaced_without_losing_signed_in_sessions()
    {
        await using var provider = await OidcProvider.StartAsync(clientSecretTtl: 8);
        await using var gateway = GatewayHost.Start(stack.Settings() with { Authority = provider.Issuer, TokenEndpointAuthMethod = "client_secret_post" });
        await gateway.WaitUntilReadyAsync();
        var state = gateway.GetRequiredService<ClientRegistrationState>();
        var first = state.Current!;
        Assert.NotNull(first.ClientSecretExpiresAt);
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("erin");

        await GatewayAssertions.EventuallyAsync(
            () => Task.FromResult(state.Current!.ClientId != first.ClientId), TimeSpan.FromSeconds(20), "the gateway registered a new client");

        Assert.Equal(first.ClientId, state.Registration!.Previous!.ClientId);
        await browser.AssertSignedInAsync("erin");
        using var newcomer = gateway.CreateBrowser();
        await newcomer.LoginAsync("frank");
        await newcomer.AssertSignedInAsync("frank");
    }

    [Fact]
    public async Task A_client_deleted_at_the_authorization_server_is_noticed_by_invalid_client_and_registered_again()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        var state = gateway.GetRequiredService<ClientRegistrationState>();
        var deleted = state.Current!;
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("grace");
        Assert.True(await gateway.GetRequiredService<DynamicClientRegistrar>().DeleteAsync(deleted, CancellationToken.None));

        // The access token expires; its refresh meets invalid_client, and the gateway checks its registration.
        await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds + 1));
        using var refused = await browser.GetAsync("/auth/session");

        await GatewayAssertions.EventuallyAsync(
            () => Task.FromResult(state.Current!.ClientId != deleted.ClientId), TimeSpan.FromSeconds(20), "a new client was registered");
        // The key belonged to the deleted registration: the new client has its own.
        Assert.NotEqual(deleted.SigningKey!.KeyId, state.Current!.SigningKey!.KeyId);
        using var newcomer = gateway.CreateBrowser();
        await newcomer.LoginAsync("heidi");
        await newcomer.AssertSignedInAsync("heidi");
    }

    [Fact]
    public async Task The_unregister_command_deletes_the_registration_at_the_server_and_the_stored_copy()
    {
        var settings = stack.Settings();
        ClientRegistration registered;
        await using (var gateway = GatewayHost.Start(settings))
        {
            await gateway.WaitUntilReadyAsync();
            registered = gateway.GetRequiredService<ClientRegistrationState>().Current!;
        }

        var deletesBefore = await stack.Provider.CountAsync("registrationDeletes");
        var result = await GatewayCommand.RunAsync(settings, "unregister");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"Deleted client {registered.ClientId}", result.Output, StringComparison.Ordinal);
        Assert.Equal(deletesBefore + 1, await stack.Provider.CountAsync("registrationDeletes"));
        await using var redis = await stack.Redis.ConnectAsync();
        Assert.False(await redis.GetDatabase().KeyExistsAsync(settings.KeyPrefix + "dcr:" + stack.Provider.Issuer));
    }

    [Fact]
    public async Task A_missing_setting_stops_the_gateway_with_one_line_naming_the_key()
    {
        var result = await GatewayCommand.RunAsync(stack.Settings(), environmentOverrides: new() { ["Gateway__PublicOrigin"] = "" });

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration error: Gateway:PublicOrigin is required", line, StringComparison.Ordinal);
    }
}
