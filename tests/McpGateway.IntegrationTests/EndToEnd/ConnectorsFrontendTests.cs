using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// Connectors in headless Chromium, as a person uses them: sign in, the discover-mode server waits for authorization,
/// Connect goes to that server's own provider (its login and consent), back in the page its tool runs with a token
/// meant for that server alone, and Disconnect puts it back.
/// </summary>
[Collection(nameof(ConnectorStackCollection))]
public sealed class ConnectorsFrontendTests(ConnectorStack stack, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_user_connects_the_server_at_its_own_provider_calls_its_tool_and_disconnects()
    {
        await using var gateway = GatewayHost.Start(stack.Settings(sessionServer: true));
        await gateway.WaitUntilReadyAsync();
        await using var scenario = await BrowserScenario.StartAsync("connectors", chromium.Browser, gateway, stack.Provider.Issuer);
        const string user = "e2e-vera";
        await stack.Protected.ClearAuditAsync();

        await scenario.RunAsync(async () =>
        {
            var page = await scenario.NewPageAsync();
            await page.GotoAsync("/");
            await scenario.SignInAsync(page, user);
            await BrowserScenario.ExpectPanelsLoadedAsync(page);

            // Signed in: the server waits for authorization, in the connectors panel and as a row of the tools panel.
            var vault = page.Locator("[data-testid=connector-item][data-connector=vault]");
            await Expect(vault).ToHaveAttributeAsync("data-state", "authorization_required");
            await Expect(page.GetByTestId("tool-connector-connect")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=tool-item][data-tool-name=echo]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=tool-item][data-tool-name=vault__whoami]")).ToHaveCountAsync(0);
            await scenario.ShotAsync(page, "authorization-required");

            // Connect: the server's own provider asks for a login and a consent of its own.
            await vault.GetByTestId("connector-connect").ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(stack.ServerProvider.Issuer + "/interaction/", StringComparison.Ordinal));
            await page.Locator("input[name=login]").FillAsync(user);
            await page.Locator("input[name=password]").FillAsync("any-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in", Exact = true }).ClickAsync();
            var consent = page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true });
            await Expect(consent).ToBeVisibleAsync();
            Assert.StartsWith(stack.ServerProvider.Issuer + "/interaction/", page.Url, StringComparison.Ordinal);
            await scenario.ShotAsync(page, "server-provider-consent");
            await consent.ClickAsync();

            // Back in the page: a notice, a clean address, the server connected and its tools listed.
            await page.WaitForURLAsync(url => url.StartsWith(scenario.Origin + "/", StringComparison.Ordinal));
            await Expect(page.GetByTestId("notice-banner")).ToContainTextAsync("Connected to vault");
            await Expect(vault).ToHaveAttributeAsync("data-state", "connected");
            Assert.DoesNotContain("connector", new Uri(page.Url).Query, StringComparison.Ordinal);
            var whoami = page.Locator("[data-testid=tool-item][data-tool-name=vault__whoami]");
            await Expect(whoami).ToBeVisibleAsync();
            await Expect(page.GetByTestId("tool-connector-connect")).ToHaveCountAsync(0);

            // Its tool runs with a token for that server: it answers with the user and its own URL as the audience.
            await whoami.GetByRole(AriaRole.Button).ClickAsync();
            await page.GetByTestId("tool-args").FillAsync("{}");
            await page.GetByTestId("tool-call").ClickAsync();
            var result = page.GetByTestId("tool-result");
            await Expect(result).ToHaveAttributeAsync("data-is-error", "false");
            await Expect(result).ToContainTextAsync(stack.ProtectedUrl.AbsoluteUri);
            await Expect(result).ToContainTextAsync(user);
            await scenario.ShotAsync(page, "connector-tool-result");
            await scenario.AssertNoTokenInPageAsync(page);

            var seen = (await stack.Protected.AuditAsync()).Where(entry => entry.TryGetProperty("token_sha256", out var hash) && hash.ValueKind == JsonValueKind.String).ToList();
            Assert.NotEmpty(seen);
            Assert.All(seen, entry => Assert.Equal(stack.ProtectedUrl.AbsoluteUri, entry.GetProperty("aud").GetString()));

            // Disconnect: back to waiting for authorization, its tools gone from the list.
            await vault.GetByTestId("connector-disconnect").ClickAsync();
            await Expect(vault).ToHaveAttributeAsync("data-state", "authorization_required");
            await Expect(whoami).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("tool-connector-connect")).ToBeVisibleAsync();
            await scenario.ShotAsync(page, "disconnected");

            scenario.AssertGatewayPageStayedLocal();
            scenario.AssertNoPageErrors();
        });
    }
}
