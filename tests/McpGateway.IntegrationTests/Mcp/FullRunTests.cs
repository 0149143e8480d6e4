using System.Net;
using System.Net.Http.Json;
using McpGateway.Auth.Registration;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Auth;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class FullRunTests(McpStack stack)
{
    [Fact]
    public async Task A_full_run_logs_no_token_secret_or_cookie_writes_audit_lines_and_exports_metrics()
    {
        var settings = stack.Settings();
        var extra = new Dictionary<string, string?>(settings.Extra) { ["Logging:LogLevel:Default"] = "Debug", ["Logging:LogLevel:McpGateway"] = "Debug" };
        await using var gateway = GatewayHost.Start(settings with { Extra = extra });
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("hugo");
        var reference = await LoginTests.SessionReferenceAsync(gateway, browser);
        var tokenService = gateway.GetRequiredService<SessionTokenService>();
        var secrets = new List<string> { reference, browser.GatewayCookie(SessionCookie.DevelopmentName)!.Value };
        var client = gateway.GetRequiredService<ClientRegistrationState>().Current!;
        secrets.AddRange(new[] { client.ClientSecret, client.SigningKey?.PrivateKey }.OfType<string>());
        secrets.Add(client.RegistrationAccessToken!);
        await CollectTokensAsync();

        await using (var socket = await RawSocket.OpenAsync(browser))
        {
            await socket.InitializeAsync();
            await socket.RequestAsync(1, "tools/list");
            await socket.RequestAsync(2, "tools/call", new { name = "calculator", arguments = new { expression = "1+2" } });
            await socket.RequestAsync(3, "tools/call", new { name = "echo", arguments = new { message = "logged?" } });
            await Task.Delay(TimeSpan.FromSeconds(AuthStack.AccessTokenTtlSeconds + 1));
            await socket.RequestAsync(4, "tools/call", new { name = "echo", arguments = new { message = "after refresh" } });
        }

        using (var chat = await browser.PostAsync("/api/v2/chat", JsonContent.Create(new { messages = new[] { new { role = "user", content = "hi" } } })))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        await CollectTokensAsync();
        using var metrics = await browser.GetAsync("/metrics");
        var exported = await metrics.Content.ReadAsStringAsync();
        using var logout = await browser.PostAsync("/auth/logout");

        var logs = gateway.Logs.Text;
        Assert.All(secrets.Where(secret => secret.Length >= 16).Distinct(), secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
        Assert.Contains("hugo called tool calculator: ok", logs, StringComparison.Ordinal);
        Assert.Contains("hugo called upstream tool echo: ok", logs, StringComparison.Ordinal);
        Assert.Contains("mcpgw_mcp_requests_total", exported, StringComparison.Ordinal);
        Assert.Contains("mcp_method=\"tools/call\"", exported, StringComparison.Ordinal);
        Assert.Contains("mcpgw_tool_calls_total", exported, StringComparison.Ordinal);
        Assert.Contains("mcpgw_token_refreshes_total", exported, StringComparison.Ordinal);
        Assert.Contains("mcpgw_dcr_ready", exported, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", exported, StringComparison.Ordinal);
        Assert.Contains("http_client_request_duration_seconds", exported, StringComparison.Ordinal);

        // Recorded on every request or pooled block and told by the series above: not collected (HotPathInstruments).
        Assert.DoesNotContain("aspnetcore_routing_match_attempts", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_memory_pool_rented", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("http_client_open_connections", exported, StringComparison.Ordinal);

        async Task CollectTokensAsync()
        {
            var tokens = (await tokenService.ReadAsync(SessionId.Parse(reference), CancellationToken.None))!;
            secrets.AddRange(new[] { tokens.AccessToken, tokens.RefreshToken, tokens.IdToken }.OfType<string>());
        }
    }
}
