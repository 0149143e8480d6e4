using System.Net;
using System.Net.Http.Json;
using McpGateway.IntegrationTests.Auth;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, spans and metrics go to an OTLP collector: one span per bridged MCP request and per tool call, the chat route's span, and never a token.</summary>
[Collection(nameof(McpStackCollection))]
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

            // Activity listeners are process-wide: this host's exporter also queues the spans of every gateway the
            // other test collections run in this process meanwhile, thousands a second under the hostile suite.
            // The default queue (2,048) then drops spans, this test's among them; a deployed gateway has one host.
            ["OTEL_BSP_MAX_QUEUE_SIZE"] = "262144",
            ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = "4096",
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
