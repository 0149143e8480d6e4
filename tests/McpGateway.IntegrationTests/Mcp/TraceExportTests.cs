using System.Net;
using System.Net.Http.Json;
using McpGateway.IntegrationTests.Auth;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, spans and metrics go to an OTLP collector: one span per bridged MCP request and per tool call, the chat route's span, and never a token.</summary>
[Collection(nameof(TelemetryCollection))]
public sealed class TraceExportTests(McpStack stack)
{
    [Fact]
    public async Task Spans_of_mcp_requests_tool_calls_and_the_chat_route_reach_the_otlp_collector_without_a_token()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var settings = stack.Settings();
        var extra = new Dictionary<string, string?>(settings.Extra)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
        await using var gateway = GatewayHost.Start(settings with { Extra = extra });
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("tracy");
        var reference = await LoginTests.SessionReferenceAsync(gateway, browser);
        var tokens = (await gateway.GetRequiredService<McpGateway.Auth.Tokens.SessionTokenService>().ReadAsync(SessionId.Parse(reference), CancellationToken.None))!;

        await using (var socket = await RawSocket.OpenAsync(browser))
        {
            await socket.InitializeAsync();
            await socket.RequestAsync(1, "tools/call", new { name = "calculator", arguments = new { expression = "6*7" } });
            await socket.RequestAsync(2, "tools/call", new { name = "echo", arguments = new { message = "traced" } });
        }

        using (var chat = await browser.PostAsync("/api/v2/chat", JsonContent.Create(new { messages = new[] { new { role = "user", content = "hi" } } })))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        string[] spans = ["mcp tools/call", "tool calculator", "/api/v2/chat"];
        await GatewayAssertions.EventuallyAsync(() => Task.FromResult(
                spans.All(span => collector.Text("traces").Contains(span, StringComparison.Ordinal))
                && collector.Text("metrics").Contains("mcpgw.mcp.requests", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "the spans and metrics reach the collector");

        var traces = collector.Text("traces");
        Assert.Contains("mcp-gateway", traces, StringComparison.Ordinal);
        Assert.All(new[] { tokens.AccessToken, tokens.RefreshToken, tokens.IdToken, reference }.OfType<string>(),
            secret => Assert.DoesNotContain(secret, traces + collector.Text("metrics"), StringComparison.Ordinal));
    }
}

/// <summary>
/// Activity and meter listeners are process-wide: a gateway host exporting spans also records every span of the
/// other hosts the parallel collections run in this process (the hostile suite's thousands a second and all their
/// HttpClient calls), and under that flood this test's spans were dropped or late (seen in full runs). So it runs
/// alone, after the parallel collections, on a stack of its own; a deployed gateway is one host per process.
/// </summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<McpStack>;
