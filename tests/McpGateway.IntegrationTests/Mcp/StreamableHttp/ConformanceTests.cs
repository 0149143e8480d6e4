using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

/// <summary>
/// The MCP conformance suite's server scenarios, run against tests/conformance/everything-server (an
/// MCP server on the official TypeScript SDK that implements what the scenarios call) directly, and
/// through a gateway whose upstream it is: whatever the server passes alone must pass through <c>/mcp</c>.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class ConformanceTests(McpStack stack)
{
    [Fact]
    public async Task Every_conformance_scenario_that_passes_against_the_conformance_server_directly_also_passes_through_the_gateway()
    {
        var (server, serverUrl) = await ConformanceSuite.StartEverythingServerAsync();
        await using (server)
        {
            await using var gateway = GatewayHost.Start(stack.Settings(mcpUrl: serverUrl));
            await gateway.WaitUntilReadyAsync();
            using var browser = gateway.CreateBrowser();
            await browser.LoginAsync("conformance");
            var (forwarder, throughGatewayUrl) = await ConformanceSuite.StartForwarderAsync(new Uri(gateway.BaseAddress, "/mcp"), browser.Cookies.GetCookieHeader(gateway.BaseAddress));
            await using (forwarder)
            {
                var (direct, directOutput) = await ConformanceSuite.RunAsync(serverUrl);
                var (gatewayed, gatewayOutput) = await ConformanceSuite.RunAsync(throughGatewayUrl);

                var passedDirectly = direct.Where(scenario => scenario.Value).Select(scenario => scenario.Key).ToList();
                var passedThrough = gatewayed.Where(scenario => scenario.Value).Select(scenario => scenario.Key).ToList();
                var summary = $"Conformance: {passedDirectly.Count} of {direct.Count} scenarios pass against the conformance server (tests/conformance/everything-server) directly, {passedThrough.Count} of {gatewayed.Count} through the gateway.";
                TestContext.Current.SendDiagnosticMessage(summary);
                Console.WriteLine($"Conformance: direct {passedDirectly.Count}/{direct.Count}, through the gateway {passedThrough.Count}/{gatewayed.Count}.");
                Assert.True(passedDirectly.Count > 0, directOutput);
                var lost = passedDirectly.Except(passedThrough).ToList();
                Assert.True(lost.Count == 0, $"Passing directly but not through the gateway: {string.Join(", ", lost)}\n{gatewayOutput}\n{server.Tail(80)}");
            }
        }
    }
}
