using System.Collections.Concurrent;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;
using Microsoft.Playwright;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// The official MCP TypeScript SDK client in headless Chromium, in a page of the gateway's own origin,
/// on the gateway's Streamable HTTP <c>/mcp</c> with nothing but the session cookie the browser sends itself.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class BrowserSdkClientTests(McpStack stack, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>
    /// Where the page loads the SDK bundle from. The gateway's CSP is <c>script-src 'self'</c>: an inline
    /// script (Playwright's AddScriptTag with Content) would be refused, and the policy stays as it is.
    /// So the bundle is a same-origin script the browser fetches and this test answers in the browser
    /// (Page.RouteAsync); the gateway never sees the path.
    /// </summary>
    private const string BundlePath = "/__test/mcp-sdk.js";

    private const string SampledAnswer = "The tide turns twice a day (answered in the browser).";

    private const string SamplingModel = "browser-sdk-model";

    [Fact]
    public async Task The_TypeScript_SDK_client_in_a_gateway_page_connects_with_only_the_cookie_lists_and_calls_tools_and_answers_a_sampling_request()
    {
        var bundle = await BrowserSdkBundle.ScriptAsync();
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        await using var scenario = await BrowserScenario.StartAsync("browser-sdk", chromium.Browser, gateway, stack.Provider.Issuer);
        const string user = "e2e-sdk";

        await scenario.RunAsync(async () =>
        {
            var page = await scenario.NewPageAsync();
            var document = await page.GotoAsync("/");
            Assert.Contains("script-src 'self'", (await document!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
            await scenario.SignInAsync(page, user);
            Assert.Equal(scenario.Origin + "/", page.Url);
            await stack.Front.ClearAuditAsync();

            var mcpRequests = new ConcurrentQueue<IRequest>();
            page.Request += (_, request) =>
            {
                if (request.Url == scenario.Origin + "/mcp")
                {
                    mcpRequests.Enqueue(request);
                }
            };
            // The gateway's CSP holds in this page: an inline script is refused (hence the same-origin bundle below).
            var inline = await Assert.ThrowsAsync<PlaywrightException>(() => page.AddScriptTagAsync(new() { Content = "window.inlineScriptRan = true;" }));
            Assert.Contains("Content Security Policy", inline.Message, StringComparison.Ordinal);
            Assert.False(await page.EvaluateAsync<bool>("() => window.inlineScriptRan === true"), "an inline script ran despite the gateway's CSP");

            await page.RouteAsync(scenario.Origin + BundlePath, route => route.FulfillAsync(new()
            {
                Status = 200,
                ContentType = "text/javascript; charset=utf-8",
                Body = bundle,
            }));
            await page.AddScriptTagAsync(new() { Url = BundlePath });
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.mcpSdk?.Client === 'function'"), "the SDK bundle did not load into the page");

            var run = await page.EvaluateAsync<JsonElement>(
                """
                async ([samplingModel, sampledAnswer]) => {
                  const { Client, StreamableHTTPClientTransport, CreateMessageRequestSchema, CfWorkerJsonSchemaValidator } = window.mcpSdk;
                  const sampled = [];
                  const client = new Client(
                    { name: 'browser-sdk-e2e', version: '1.0.0' },
                    // No 'unsafe-eval' in the page's CSP: the SDK's default validator (Ajv) throws EvalError on the first
                    // tool with an outputSchema (server-everything's get-structured-content); its eval-free one works.
                    { capabilities: { sampling: {} }, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
                  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
                    sampled.push(request.params.messages.flatMap((message) => [].concat(message.content))
                      .filter((block) => block.type === 'text').map((block) => block.text).join(' '));
                    return { model: samplingModel, role: 'assistant', stopReason: 'endTurn', content: { type: 'text', text: sampledAnswer } };
                  });
                  // No token, no extra headers: fetch's default credentials ('same-origin') send the HttpOnly cookie.
                  const transport = new StreamableHTTPClientTransport(new URL('/mcp', location.origin));
                  await client.connect(transport);
                  const text = (result) => result.content.filter((block) => block.type === 'text').map((block) => block.text).join('');
                  const tools = (await client.listTools()).tools.map((tool) => tool.name);
                  const calculator = await client.callTool({ name: 'calculator', arguments: { expression: '2^10' } });
                  const echo = await client.callTool({ name: 'echo', arguments: { message: 'from the browser SDK' } });
                  const sampling = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'summarize the tide', maxTokens: 20 } });
                  const outcome = {
                    sessionId: transport.sessionId ?? null,
                    protocolVersion: transport.protocolVersion ?? null,
                    serverName: client.getServerVersion()?.name ?? null,
                    tools,
                    calculator: text(calculator),
                    calculatorIsError: calculator.isError === true,
                    echo: text(echo),
                    sampling: text(sampling),
                    samplingIsError: sampling.isError === true,
                    sampled,
                  };
                  await transport.terminateSession();
                  await client.close();
                  return outcome;
                }
                """, new object[] { SamplingModel, SampledAnswer });
            scenario.Log("SDK run: " + run.GetRawText());

            Assert.False(string.IsNullOrEmpty(run.GetProperty("sessionId").GetString()), "initialize opened no Mcp-Session-Id");
            Assert.Equal("2025-11-25", run.GetProperty("protocolVersion").GetString());
            var tools = run.GetProperty("tools").EnumerateArray().Select(tool => tool.GetString()).ToList();
            Assert.Contains("calculator", tools);
            Assert.Contains("echo", tools);
            Assert.Contains("trigger-sampling-request", tools);

            Assert.False(run.GetProperty("calculatorIsError").GetBoolean());
            Assert.Equal("1024", run.GetProperty("calculator").GetString());
            Assert.Equal("Echo: from the browser SDK", run.GetProperty("echo").GetString());

            Assert.False(run.GetProperty("samplingIsError").GetBoolean());
            var sampling = run.GetProperty("sampling").GetString()!;
            Assert.Contains(SampledAnswer, sampling, StringComparison.Ordinal);
            Assert.Contains(SamplingModel, sampling, StringComparison.Ordinal);
            var sampled = Assert.Single(run.GetProperty("sampled").EnumerateArray());
            Assert.Contains("summarize the tide", sampled.GetString(), StringComparison.Ordinal);

            // Every request the SDK made to /mcp carried the session cookie, no credential of its own, and (POST, DELETE) the page's Origin.
            Assert.True(mcpRequests.Count >= 5, $"expected initialize, its notification, tools/list and three tools/call on /mcp; saw {mcpRequests.Count} requests");
            foreach (var request in mcpRequests)
            {
                var headers = await request.AllHeadersAsync();
                Assert.False(headers.ContainsKey("authorization"), $"{request.Method} /mcp carried an Authorization header");
                Assert.Contains(SessionCookie.DevelopmentName + "=", headers.GetValueOrDefault("cookie") ?? "", StringComparison.Ordinal);
                if (request.Method != "GET")
                {
                    // Chromium sends Origin on every POST and DELETE (the gateway checks it); a same-origin GET (the SDK's standalone stream) has none.
                    Assert.Equal(scenario.Origin, headers.GetValueOrDefault("origin"));
                }
            }

            Assert.Contains(mcpRequests, request => request.Method == "DELETE");

            // The upstream got the user's bearer token from the gateway, never the browser's cookie.
            var audit = await stack.Front.AuditAsync();
            Assert.Contains(audit, entry => entry.GetProperty("mcpMethod").GetString() == "tools/call");
            Assert.All(audit, entry =>
            {
                Assert.Equal(user, entry.GetProperty("sub").GetString());
                Assert.False(entry.GetProperty("hadCookie").GetBoolean());
            });

            await scenario.AssertNoTokenInPageAsync(page);
            scenario.AssertGatewayPageStayedLocal();
            scenario.AssertNoPageErrors();
        });
    }
}
