using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.IntegrationTests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static McpGateway.IntegrationTests.Connectors.ConnectorClients;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// Several MCP servers behind one browser session, over both browser transports: <c>default</c> (session mode, the
/// bearer front), <c>two</c> (none mode, <c>two__</c>), <c>dead</c> (a closed port).
/// </summary>
[Collection(nameof(MultiServerStackCollection))]
public sealed class ConnectorRoutingTests(MultiServerStack stack)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(WebSocket)]
    [InlineData(Http)]
    public async Task Tools_of_every_server_are_merged_with_prefixes_and_the_gateways_and_the_dead_server_is_named_in_meta(string transport)
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("connie");

        await using var client = await ConnectAsync(browser, transport);
        var answer = await client.SendRequestAsync(new JsonRpcRequest { Method = "tools/list", Params = new JsonObject() }, Cancellation);
        var result = answer.Result!.AsObject();
        var names = result["tools"]!.AsArray().Select(tool => (string)tool!["name"]!).ToList();

        Assert.Equal(["calculator", "file_read", "web_search"], names.Take(3));
        Assert.Contains("echo", names);
        Assert.Contains("two__echo", names);
        Assert.Contains("two__get-sum", names);
        Assert.DoesNotContain(names, name => name.StartsWith("dead__", StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var missing = Assert.Single(result["_meta"]!["io.mcpgateway/connectors"]!.AsArray());
        Assert.Equal("dead", (string?)missing!["name"]);
        Assert.Equal("unavailable", (string?)missing["state"]);
        Assert.False(string.IsNullOrEmpty((string?)missing["reason"]));
        Assert.Equal("mcp-gateway", client.ServerInfo?.Name);
        // The replica's status board knows the dead server is unreachable, and that default answers.
        var board = gateway.GetRequiredService<McpGateway.Connectors.ConnectorStatusBoard>();
        Assert.NotNull(board.FailureOf("dead"));
        Assert.Null(board.FailureOf("default"));
        Assert.Null(board.FailureOf("two"));
    }

    [Theory]
    [InlineData(WebSocket)]
    [InlineData(Http)]
    public async Task Calls_are_routed_by_prefix_the_session_server_sees_the_sign_in_token_and_the_none_server_no_authorization(string transport)
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("dora");
        await stack.Mcp.Front.ClearAuditAsync();
        await stack.SecondFront.ClearAuditAsync();

        await using (var client = await ConnectAsync(browser, transport))
        {
            var one = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "to default" }, cancellationToken: Cancellation);
            var two = await client.CallToolAsync("two__echo", new Dictionary<string, object?> { ["message"] = "to two" }, cancellationToken: Cancellation);
            var dead = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("dead__echo", new Dictionary<string, object?>(), cancellationToken: Cancellation).AsTask());

            Assert.Equal("Echo: to default", Text(one));
            Assert.Equal("Echo: to two", Text(two));
            Assert.Equal(-32000, (int)dead.ErrorCode);
            Assert.Contains("'dead'", dead.Message, StringComparison.Ordinal);
        }

        var first = await stack.Mcp.Front.AuditAsync();
        var second = await stack.SecondFront.AuditAsync();
        // Each call reached its own server only, under the server's own tool name.
        Assert.Single(first, entry => Method(entry) == "tools/call");
        Assert.Single(second, entry => Method(entry) == "tools/call");
        // default's front admitted every request on dora's sign-in token; two's front never saw an Authorization header.
        Assert.All(first.Where(entry => Method(entry) is not null), entry => Assert.Equal("dora", entry.GetProperty("sub").GetString()));
        Assert.NotEmpty(second);
        Assert.All(second, entry => Assert.False(entry.GetProperty("hadAuthorization").GetBoolean()));
        Assert.All(second, entry => Assert.False(entry.GetProperty("hadCookie").GetBoolean()));
    }

    [Theory]
    [InlineData(WebSocket)]
    [InlineData(Http)]
    public async Task A_sampling_request_of_the_second_server_is_answered_by_the_browser_and_the_answer_reaches_that_server(string transport)
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("edna");
        var asked = new List<string>();
        var handlers = new McpClientHandlers
        {
            SamplingHandler = (request, _, _) =>
            {
                lock (asked)
                {
                    asked.Add(string.Join(" ", request!.Messages.SelectMany(message => message.Content.OfType<TextContentBlock>()).Select(block => block.Text)));
                }

                return ValueTask.FromResult(new CreateMessageResult
                {
                    Model = "model-of-the-browser",
                    Role = Role.Assistant,
                    StopReason = "endTurn",
                    Content = [new TextContentBlock { Text = "sampled for two" }],
                });
            },
        };
        await stack.SecondFront.ClearAuditAsync();

        await using (var client = await ConnectAsync(browser, transport, handlers))
        {
            var sampling = await client.CallToolAsync("two__trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "summarize the river", ["maxTokens"] = 20 }, cancellationToken: Cancellation);

            Assert.Contains("model-of-the-browser", Text(sampling), StringComparison.Ordinal);
            lock (asked)
            {
                Assert.Contains("summarize the river", Assert.Single(asked), StringComparison.Ordinal);
            }
        }

        // The browser's answer went to two (a POST that carries no method: a response), not to default.
        Assert.Contains(await stack.SecondFront.AuditAsync(), entry => entry.GetProperty("method").GetString() == "POST" && Method(entry) is null && entry.GetProperty("status").GetInt32() is >= 200 and < 300);
    }

    [Theory]
    [InlineData(WebSocket)]
    [InlineData(Http)]
    public async Task Resources_are_read_from_the_server_that_listed_them_prompts_go_by_prefix_and_an_unknown_uri_is_not_found(string transport)
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("flora");

        await using var client = await ConnectAsync(browser, transport);
        var resources = await client.ListResourcesAsync(cancellationToken: Cancellation);
        var document = resources.First(resource => resource.Uri.StartsWith("demo://resource/static/document/", StringComparison.Ordinal));
        await stack.Mcp.Front.ClearAuditAsync();
        await stack.SecondFront.ClearAuditAsync();

        var read = await client.ReadResourceAsync(document.Uri, cancellationToken: Cancellation);
        var prompt = await client.GetPromptAsync("two__simple-prompt", cancellationToken: Cancellation);
        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync("demo://nobody/lists/this", cancellationToken: Cancellation).AsTask());

        Assert.NotEmpty(read.Contents);
        Assert.Equal(document.Uri, read.Contents[0].Uri);
        Assert.NotEmpty(prompt.Messages);
        Assert.Equal(-32002, (int)unknown.ErrorCode);
        // Both servers list the same documents: the first in configuration order (default) owns them.
        Assert.Single(await stack.Mcp.Front.AuditAsync(), entry => Method(entry) == "resources/read");
        var second = await stack.SecondFront.AuditAsync();
        Assert.DoesNotContain(second, entry => Method(entry) == "resources/read");
        Assert.Single(second, entry => Method(entry) == "prompts/get");
    }

    private static string? Method(JsonElement entry) => entry.GetProperty("mcpMethod").ValueKind == JsonValueKind.String ? entry.GetProperty("mcpMethod").GetString() : null;
}
