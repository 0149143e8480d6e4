using McpGateway.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// The demo frontend's error display in headless Chromium: a chat while the chat server is down,
/// and a session ended from another tab (pushed over the socket, or found on the next action).
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class ErrorDisplayTests(McpStack stack, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string SessionEnded = "Your session has ended. Sign in again to continue.";

    [Fact]
    public async Task A_chat_while_the_chat_server_is_down_shows_the_upstream_error_and_the_page_stays_usable()
    {
        var settings = stack.Settings();
        var deadChat = new Dictionary<string, string?>(settings.Extra) { ["Upstreams:Chat:Url"] = $"http://127.0.0.1:{FreePort.Next()}/" };
        await using var gateway = GatewayHost.Start(settings with { Extra = deadChat });
        await gateway.WaitUntilReadyAsync();
        await using var scenario = await BrowserScenario.StartAsync("chat-upstream-down", chromium.Browser, gateway, stack.Provider.Issuer);

        await scenario.RunAsync(async () =>
        {
            var page = await scenario.NewPageAsync();
            await page.GotoAsync("/");
            await scenario.SignInAsync(page, "e2e-grace");
            await BrowserScenario.ExpectPanelsLoadedAsync(page);

            await page.GetByTestId("chat-input").FillAsync("Is anybody there?");
            await page.GetByTestId("chat-send").ClickAsync();

            var banner = page.GetByTestId("error-banner");
            await Expect(banner).ToHaveAttributeAsync("data-code", "upstream_unavailable");
            await Expect(banner).ToContainTextAsync("Chat:");
            await Expect(banner).ToContainTextAsync("The upstream server is unavailable right now. Try again shortly.");
            await Expect(banner).ToContainTextAsync("The chat server is unavailable.");
            await Expect(page.GetByTestId("error-sign-in")).ToHaveCountAsync(0);
            var answer = page.Locator("[data-testid=chat-message][data-role=assistant]").Last;
            await Expect(answer).ToHaveAttributeAsync("data-status", "error");
            await Expect(answer).ToContainTextAsync("The upstream server is unavailable right now.");
            await Expect(page.GetByTestId("user-name")).ToHaveTextAsync(BrowserScenario.DisplayName("e2e-grace"));
            await Expect(page.GetByTestId("chat-send")).ToBeDisabledAsync(); // empty input again, not stuck "Sending…"
            await Expect(page.GetByTestId("chat-send")).ToHaveTextAsync("Send");
            await scenario.ShotAsync(page, "chat-error");

            // The rest of the page still works, and the banner can be dismissed.
            await page.GetByTestId("tool-args").FillAsync("""{ "expression": "6 * 7" }""");
            await page.GetByTestId("tool-call").ClickAsync();
            await Expect(page.GetByTestId("tool-result").GetByText("42", new() { Exact = true })).ToBeVisibleAsync();
            await banner.GetByRole(AriaRole.Button, new() { Name = "Dismiss this message" }).ClickAsync();
            await Expect(banner).ToHaveCountAsync(0);
            await scenario.ShotAsync(page, "dismissed");

            scenario.AssertNoPageErrors();
        });
    }

    [Fact]
    public async Task A_logout_from_another_tab_is_pushed_over_the_socket_and_the_page_offers_to_sign_in_again()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        await using var scenario = await BrowserScenario.StartAsync("session-ended-pushed", chromium.Browser, gateway, stack.Provider.Issuer);

        await scenario.RunAsync(async () =>
        {
            var page = await scenario.NewPageAsync();
            await page.GotoAsync("/");
            await scenario.SignInAsync(page, "e2e-hopper");
            await Expect(page.GetByTestId("socket-state")).ToHaveAttributeAsync("data-state", "open");

            var tab = await scenario.NewPageAsync();
            await tab.GotoAsync("/");
            await Expect(tab.GetByTestId("user-name")).ToHaveTextAsync(BrowserScenario.DisplayName("e2e-hopper"));
            Assert.Equal(200, await LogoutByApiAsync(tab));

            // No action needed: the gateway closed the first tab's socket with 4401.
            var banner = page.GetByTestId("error-banner");
            await Expect(banner).ToHaveAttributeAsync("data-code", "session_expired");
            await Expect(banner).ToContainTextAsync(SessionEnded);
            await Expect(page.GetByTestId("error-sign-in")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("login-button")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("user-name")).ToHaveCountAsync(0);
            await Expect(page.GetByText("Your session has ended. Use Sign in above to continue.")).ToBeVisibleAsync();
            await scenario.ShotAsync(page, "session-ended");

            // "Sign in again" goes through the provider (still signed in there: at most its consent page) and back.
            await page.GetByTestId("error-sign-in").ClickAsync();
            var consent = page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true });
            var signedIn = page.GetByTestId("user-name");
            await Expect(consent.Or(signedIn)).ToBeVisibleAsync();
            if (await consent.IsVisibleAsync())
            {
                await consent.ClickAsync();
            }

            await Expect(signedIn).ToHaveTextAsync(BrowserScenario.DisplayName("e2e-hopper"));
            await Expect(page.GetByTestId("socket-state")).ToHaveAttributeAsync("data-state", "open");
            await Expect(page.GetByTestId("error-banner")).ToHaveCountAsync(0);
            await BrowserScenario.ExpectPanelsLoadedAsync(page);
            await scenario.ShotAsync(page, "signed-in-again");

            scenario.AssertNoPageErrors();
        });
    }

    [Fact]
    public async Task A_session_ended_in_another_tab_shows_the_session_expired_message_on_the_next_action()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        await using var scenario = await BrowserScenario.StartAsync("session-ended-next-action", chromium.Browser, gateway, stack.Provider.Issuer);

        // The page's live socket is cut at once (1008: no reconnect), so only the next action can tell it the session is gone.
        await scenario.Context.RouteWebSocketAsync(url => new Uri(url).AbsolutePath == "/mcp",
            socket => _ = socket.CloseAsync(new() { Code = 1008, Reason = "cut by the test" }));

        await scenario.RunAsync(async () =>
        {
            var page = await scenario.NewPageAsync();
            await page.GotoAsync("/");
            await scenario.SignInAsync(page, "e2e-lovelace");
            await Expect(page.GetByTestId("socket-state")).ToHaveAttributeAsync("data-state", "closed");
            await BrowserScenario.ExpectPanelsLoadedAsync(page);

            var tab = await scenario.NewPageAsync();
            await tab.GotoAsync("/");
            await Expect(tab.GetByTestId("user-name")).ToHaveTextAsync(BrowserScenario.DisplayName("e2e-lovelace"));
            Assert.Equal(200, await LogoutByApiAsync(tab));

            // Nothing told the first tab yet.
            await Expect(page.GetByTestId("user-name")).ToHaveTextAsync(BrowserScenario.DisplayName("e2e-lovelace"));
            await Expect(page.GetByTestId("error-banner")).ToHaveCountAsync(0);
            await scenario.ShotAsync(page, "before-action");

            await page.GetByTestId("tool-args").FillAsync("""{ "expression": "1 + 1" }""");
            await page.GetByTestId("tool-call").ClickAsync();

            var banner = page.GetByTestId("error-banner");
            await Expect(banner).ToHaveAttributeAsync("data-code", "session_expired");
            await Expect(banner).ToContainTextAsync(SessionEnded);
            await Expect(page.GetByTestId("error-sign-in")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("login-button")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("tool-result")).ToHaveCountAsync(0);
            await scenario.ShotAsync(page, "session-ended");

            scenario.AssertNoPageErrors();
        });
    }

    /// <summary>What a script in another tab does: <c>POST /auth/logout</c> with the CSRF header (no navigation to the provider).</summary>
    private static Task<int> LogoutByApiAsync(IPage tab) => tab.EvaluateAsync<int>(
        "async () => (await fetch('/auth/logout', { method: 'POST', headers: { 'X-CSRF': '1' }, credentials: 'same-origin' })).status");
}
