using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

[Collection(nameof(McpStackCollection))]
public sealed class ConformanceTests(McpStack stack)
{
    [Fact]
    public async Task Every_conformance_scenario_that_passes_against_server_everything_directly_also_passes_through_the_gateway()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("conformance");
        var (forwarder, throughGatewayUrl) = await ConformanceSuite.StartForwarderAsync(new Uri(gateway.BaseAddress, "/mcp"), browser.Cookies.GetCookieHeader(gateway.BaseAddress));
        await using (forwarder)
        {
            var (direct, directOutput) = await ConformanceSuite.RunAsync(new Uri(stack.Everything.BaseAddress, "/mcp"));
            var (gatewayed, gatewayOutput) = await ConformanceSuite.RunAsync(throughGatewayUrl);

            var passedDirectly = direct.Where(scenario => scenario.Value).Select(scenario => scenario.Key).ToList();
            var passedThrough = gatewayed.Where(scenario => scenario.Value).Select(scenario => scenario.Key).ToList();
            TestContext.Current.SendDiagnosticMessage(
                $"Conformance: {passedDirectly.Count} of {direct.Count} scenarios pass against server-everything directly, {passedThrough.Count} of {gatewayed.Count} through the gateway.");
            Console.WriteLine($"Conformance: direct {passedDirectly.Count}/{direct.Count}, through the gateway {passedThrough.Count}/{gatewayed.Count}.");
            Assert.True(passedDirectly.Count > 0, directOutput);
            var lost = passedDirectly.Except(passedThrough).ToList();
            Assert.True(lost.Count == 0, $"Passing directly but not through the gateway: {string.Join(", ", lost)}\n{gatewayOutput}");
        }
    }
}
