using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// The demo frontend end to end in headless Chromium, against the real provider, Redis, the MCP
/// server and the chat server: sign in through the provider's forms, chat (streamed), call a tool,
/// see a context added in another tab arrive over the WebSocket, sign out.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class DemoFrontendTests(McpStack stack, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_user_signs_in_chats_calls_a_tool_sees_a_context_pushed_from_another_tab_and_signs_out()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        await using var scenario = await BrowserScenario.StartAsync("demo", chromium.Browser, gateway, stack.Provider.Issuer);
        const string user = "e2e-ada";
        var name = BrowserScenario.DisplayName(user);

        await scenario.RunAsync(async () =>
        {
            // Signed out: the welcome text and the Sign-in button.
            var page = await scenario.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page.GetByTestId("login-button")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Chat with MCP tools, without tokens in the browser" })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("error-banner")).ToHaveCountAsync(0);
            await scenario.ShotAsync(page, "signed-out");

            // Sign in through the provider's login and consent pages.
            await scenario.SignInAsync(page, user, screenshots: true);
            Assert.Equal(scenario.Origin + "/", page.Url);
            await Expect(page.GetByTestId("socket-state")).ToHaveAttributeAsync("data-state", "open");
            await BrowserScenario.ExpectPanelsLoadedAsync(page);
            await Expect(page.GetByTestId("chat-contexts-count")).ToHaveTextAsync("0 contexts included");
            await scenario.ShotAsync(page, "signed-in");
            await scenario.AssertNoTokenInPageAsync(page);

            // Chat: the answer streams in word by word, then shows its model and usage.
            const string question = "Hello from headless Chromium, please echo this sentence back to me word by word so that the page can be watched while it streams";
            var words = question.Split(' ').Length;
            var expected = "Echo: " + question;
            await WatchAssistantStreamAsync(page);
            await page.GetByTestId("chat-input").FillAsync(question);
            await page.GetByTestId("chat-send").ClickAsync();
            var answer = page.Locator("[data-testid=chat-message][data-role=assistant]").Last;
            await Expect(page.Locator("[data-testid=chat-message][data-role=user]").Last).ToContainTextAsync(question);
            await Expect(answer).ToHaveAttributeAsync("data-status", "streaming");
            await scenario.ShotAsync(page, "chat-streaming"); // usually mid-stream (about 50 ms a word); the observer above is what proves it
            await Expect(answer).ToHaveAttributeAsync("data-status", "done");
            await Expect(answer).ToContainTextAsync(expected);
            await Expect(answer.GetByTestId("chat-usage")).ToHaveTextAsync($"sample-1 · sample · {words} prompt + {words + 1} completion = {(2 * words) + 1} tokens");
            var partials = await StreamedPartialsAsync(page);
            Assert.True(partials.Length >= 3, $"the answer should appear piece by piece while streaming; seen: {string.Join(" | ", partials)}");
            Assert.All(partials, partial => Assert.StartsWith(partial, expected, StringComparison.Ordinal));
            Assert.Equal(partials.Distinct().Count(), partials.Length);
            await Expect(page.Locator("[data-testid=usage-row][data-model=sample-1]")).ToContainTextAsync(((2 * words) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await scenario.ShotAsync(page, "chat-answered");
            scenario.Log($"chat answered in {partials.Length} streamed steps");

            // The tools panel: the calculator, with its result.
            var calculator = page.Locator("[data-testid=tool-item][data-tool-name=calculator]");
            await calculator.GetByRole(AriaRole.Button).ClickAsync();
            await Expect(calculator.GetByRole(AriaRole.Button)).ToHaveAttributeAsync("aria-pressed", "true");
            await page.GetByTestId("tool-args").FillAsync("""{ "expression": "2^10 + 3 * 4" }""");
            await page.GetByTestId("tool-call").ClickAsync();
            var result = page.GetByTestId("tool-result");
            await Expect(result).ToHaveAttributeAsync("data-is-error", "false");
            await Expect(result).ToContainTextAsync("Result of calculator");
            await Expect(result.GetByText("1036", new() { Exact = true })).ToBeVisibleAsync();
            await scenario.ShotAsync(page, "tool-result");

            // A second tab of the same browser adds a context; the first tab gets it over its WebSocket, without a reload.
            await page.EvaluateAsync("() => { window.__e2eSamePage = true; }");
            var contextReads = 0;
            page.Request += (_, request) =>
            {
                if (request.Url.Contains("/api/conversations/", StringComparison.Ordinal) && request.Method == "GET")
                {
                    Interlocked.Increment(ref contextReads);
                }
            };
            var tab = await scenario.NewPageAsync();
            await tab.GotoAsync("/");
            await Expect(tab.GetByTestId("user-name")).ToHaveTextAsync(name);
            await Expect(tab.GetByTestId("socket-state")).ToHaveAttributeAsync("data-state", "open");
            await Expect(tab.GetByTestId("contexts-list")).ToContainTextAsync("No contexts yet.");
            await BrowserScenario.ExpectPanelsLoadedAsync(tab);
            const string note = "The user prefers answers about tea, written from the second tab.";
            await tab.GetByTestId("context-input").FillAsync(note);
            await tab.GetByTestId("context-add").ClickAsync();
            await Expect(tab.GetByTestId("context-item")).ToHaveCountAsync(1);
            await Expect(tab.GetByTestId("context-item")).ToContainTextAsync(note);
            await scenario.ShotAsync(tab, "second-tab-context-added");

            var pushed = page.GetByTestId("context-item");
            await Expect(pushed).ToHaveCountAsync(1);
            await Expect(pushed).ToContainTextAsync(note);
            await Expect(pushed).ToHaveAttributeAsync("data-context-id", (await tab.GetByTestId("context-item").GetAttributeAsync("data-context-id"))!);
            await Expect(page.GetByTestId("chat-contexts-count")).ToHaveTextAsync("1 context included");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__e2eSamePage === true"), "the first tab was reloaded");
            Assert.Equal(0, Volatile.Read(ref contextReads));
            await scenario.ShotAsync(page, "first-tab-context-pushed");

            // The next chat message carries the conversation's context to the chat server.
            await page.GetByTestId("chat-input").FillAsync("And now with the context");
            await page.GetByTestId("chat-send").ClickAsync();
            await Expect(answer).ToHaveAttributeAsync("data-status", "done");
            await Expect(answer).ToContainTextAsync("Echo: And now with the context [contexts: 1]");
            await Expect(page.Locator("[data-testid=usage-row][data-model=sample-1] td").First).ToHaveTextAsync("2");
            await scenario.ShotAsync(page, "chat-with-context");

            // The chat server got the user's token (DPoP-bound: the provider runs at its defaults) and never a cookie.
            var audit = (await stack.Chat.AuditAsync()).Where(entry => entry.GetProperty("sub").ValueKind == JsonValueKind.String && entry.GetProperty("sub").GetString() == user).ToList();
            Assert.Equal(2, audit.Count);
            Assert.All(audit, entry =>
            {
                Assert.Equal("DPoP", entry.GetProperty("authorization").GetString());
                Assert.False(entry.GetProperty("hadCookie").GetBoolean());
            });

            await scenario.AssertNoTokenInPageAsync(page);
            await scenario.AssertNoTokenInPageAsync(tab);

            // Sign out: the provider asks for confirmation, then the page is signed out.
            await page.GetByTestId("logout-button").ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(stack.Provider.Issuer + "/session/end", StringComparison.Ordinal));
            var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" });
            await Expect(confirm).ToBeVisibleAsync();
            await scenario.ShotAsync(page, "provider-logout");
            await confirm.ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(scenario.Origin + "/", StringComparison.Ordinal));
            await Expect(page.GetByTestId("login-button")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("user-name")).ToHaveCountAsync(0);
            await Expect(page.GetByText("Use Sign in above to start.")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("error-banner")).ToHaveCountAsync(0);
            await scenario.ShotAsync(page, "signed-out-again");

            var session = await scenario.Context.APIRequest.GetAsync("/auth/session");
            Assert.Equal(401, session.Status);
            var body = await session.JsonAsync();
            Assert.False(body!.Value.GetProperty("authenticated").GetBoolean());
            Assert.DoesNotContain(await scenario.Context.CookiesAsync([scenario.Origin + "/"]), cookie => cookie.Name == McpGateway.Sessions.SessionCookie.DevelopmentName);

            // The other tab heard it over its socket (closed with 4401): it says the session ended.
            await Expect(tab.GetByTestId("error-banner")).ToHaveAttributeAsync("data-code", "session_expired");
            await Expect(tab.GetByTestId("error-banner")).ToContainTextAsync("Your session has ended. Sign in again to continue.");
            await Expect(tab.GetByTestId("login-button")).ToBeVisibleAsync();
            await scenario.ShotAsync(tab, "second-tab-session-ended");

            scenario.AssertGatewayPageStayedLocal();
            scenario.AssertNoPageErrors();
        });
    }

    [Fact]
    public async Task A_seed_client_context_with_an_object_content_shows_its_message_and_the_rest_as_json()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        await using var scenario = await BrowserScenario.StartAsync("seed-context", chromium.Browser, gateway, stack.Provider.Issuer);

        await scenario.RunAsync(async () =>
        {
            var page = await scenario.NewPageAsync();
            await page.GotoAsync("/");
            await scenario.SignInAsync(page, "e2e-seed");
            await Expect(page.GetByTestId("socket-state")).ToHaveAttributeAsync("data-state", "open");
            await Expect(page.GetByTestId("contexts-list")).ToContainTextAsync("No contexts yet.");
            var conversation = await page.Locator("[title='Conversation id']").TextContentAsync();

            // A seed client in the same browser stores over mcp-v1; the page hears it over its own socket.
            var id = await page.EvaluateAsync<string>(
                """
                ([conversation]) => new Promise((resolve, reject) => {
                  const socket = new WebSocket(location.origin.replace(/^http/, 'ws') + '/mcp', ['mcp-v1']);
                  socket.onopen = () => socket.send(JSON.stringify({ id: 'seed-1', type: 'request', method: 'context_store', params: {
                    conversation_id: conversation,
                    content: { message: 'I prefer trains', timestamp: 1733140000000, user_context: { seat: 'window', budget: 120 } },
                    metadata: { timestamp: 1733140000000, model: 'gpt-4', tokens_used: 42 },
                  } }));
                  socket.onmessage = (event) => {
                    const message = JSON.parse(event.data);
                    if (message.id !== 'seed-1') return;
                    socket.close();
                    message.error ? reject(new Error(message.error.message)) : resolve(message.result.context.id);
                  };
                  socket.onerror = () => reject(new Error('the seed socket failed'));
                })
                """, new object[] { conversation! });

            var item = page.GetByTestId("context-item");
            await Expect(item).ToHaveCountAsync(1);
            await Expect(item).ToHaveAttributeAsync("data-context-id", id);
            await Expect(item.Locator(".content")).ToHaveTextAsync("I prefer trains");
            await Expect(item.GetByTestId("context-json")).ToContainTextAsync("\"seat\": \"window\"");
            await Expect(item.GetByTestId("context-json")).Not.ToContainTextAsync("I prefer trains");
            await Expect(item.Locator(".foot")).ToContainTextAsync("2024");
            await Expect(item.GetByTestId("context-delete")).ToHaveAttributeAsync("aria-label", "Delete context: I prefer trains");
            await scenario.ShotAsync(page, "seed-context-pushed");
            scenario.AssertNoPageErrors();
        });
    }

    /// <summary>Records every text the newest assistant message shows while its status is "streaming".</summary>
    private static async Task WatchAssistantStreamAsync(IPage page) => await page.EvaluateAsync(
        """
        () => {
          const seen = [];
          window.__e2eStreamed = seen;
          const record = () => {
            const answers = document.querySelectorAll('[data-testid=chat-message][data-role=assistant]');
            const last = answers[answers.length - 1];
            if (!last || last.dataset.status !== 'streaming') return;
            const text = last.querySelector('.content')?.textContent ?? '';
            if (text && seen[seen.length - 1] !== text) seen.push(text);
          };
          new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        }
        """);

    private static Task<string[]> StreamedPartialsAsync(IPage page) => page.EvaluateAsync<string[]>("() => window.__e2eStreamed");
}
