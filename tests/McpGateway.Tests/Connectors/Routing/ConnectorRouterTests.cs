using System.Text.Json.Nodes;
using System.Threading.Channels;
using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using McpGateway.Mcp;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;
using McpGateway.Tests.Mcp;
using McpGateway.Tests.Mcp.Upstream;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Connectors.Routing;

/// <summary>The router over fake servers: <c>default</c> (no prefix), <c>two</c> (<c>two__</c>) and <c>dead</c> (<c>dead__</c>, unreachable).</summary>
public sealed class ConnectorRouterTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly ConnectorSessionFactory _factory = new();
    private readonly Channel<JsonRpcMessage> _browser = Channel.CreateUnbounded<JsonRpcMessage>();
    private readonly ConnectorRouter _router;

    public ConnectorRouterTests()
    {
        var catalog = new ConnectorCatalog([
            new Connector("default", new Uri("http://127.0.0.1:1/mcp"), ConnectorAuthorization.Session, "", "", "", ""),
            new Connector("two", new Uri("http://127.0.0.1:2/mcp"), ConnectorAuthorization.None, "two__", "", "", ""),
            new Connector("dead", new Uri("http://127.0.0.1:3/mcp"), ConnectorAuthorization.None, "dead__", "", "", ""),
        ]);
        _factory.Sessions["default"] = FakeUpstreamSession.Answering(("tools/list", """{"tools":[{"name":"echo"}]}"""));
        _factory.Sessions["two"] = FakeUpstreamSession.Answering(("tools/list", """{"tools":[{"name":"echo","title":"Two's echo"}]}"""));
        _router = new ConnectorRouter(catalog, _factory, SessionId.New(), (message, cancellationToken) => _browser.Writer.WriteAsync(message, cancellationToken).AsTask(),
            (_, _) => Task.FromResult<JsonRpcMessage?>(null), TimeSpan.FromMilliseconds(500), new CapturingLogger<ConnectorRouter>());
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _router.DisposeAsync();

    private Task<JsonRpcMessage> AskAsync(string id, string method, string parameters)
        => _router.RequestAsync(new JsonRpcRequest { Id = new RequestId(id), Method = method, Params = JsonNode.Parse(parameters) }, Cancellation).WaitAsync(Patience, Cancellation);

    private static IEnumerable<JsonRpcRequest> Requests(FakeUpstreamSession session, string method)
        => session.Sent.OfType<JsonRpcRequest>().Where(request => request.Method == method);

    [Fact]
    public async Task Initialize_reaches_every_server_and_one_that_fails_does_not_fail_the_browser()
    {
        var answer = Assert.IsType<JsonRpcResponse>(await AskAsync("i", "initialize", """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}"""));

        Assert.Equal("mcp-gateway", (string?)answer.Result?["serverInfo"]?["name"]);
        Assert.Equal("2025-11-25", (string?)answer.Result?["protocolVersion"]);
        Assert.Single(Requests(_factory.Sessions["default"], "initialize"));
        Assert.Single(Requests(_factory.Sessions["two"], "initialize"));
        Assert.Equal(1, _factory.Connections["dead"]);
    }

    [Fact]
    public async Task A_server_that_never_answers_initialize_is_left_out_after_the_bound_and_initializes_when_next_used()
    {
        var hanging = new FakeUpstreamSession();
        _factory.Sessions["two"] = hanging;

        var answer = Assert.IsType<JsonRpcResponse>(await AskAsync("i", "initialize", """{"protocolVersion":"2025-11-25","capabilities":{}}"""));
        _factory.Sessions["two"] = FakeUpstreamSession.Answering(("tools/list", """{"tools":[{"name":"late"}]}"""));
        var listed = Assert.IsType<JsonRpcResponse>(await AskAsync("l", "tools/list", "{}"));

        Assert.Equal("2025-11-25", (string?)answer.Result?["protocolVersion"]);
        Assert.True(hanging.Disposed);
        Assert.Contains("two__late", listed.Result!["tools"]!.AsArray().Select(tool => (string?)tool!["name"]));
        var replayed = _factory.Sessions["two"].Sent.OfType<JsonRpcRequest>().First();
        Assert.Equal("initialize", replayed.Method);
    }

    [Fact]
    public async Task Tools_are_merged_with_prefixes_and_the_dead_server_is_named_in_meta()
    {
        var answer = Assert.IsType<JsonRpcResponse>(await AskAsync("l", "tools/list", "{}"));

        Frames.SameJson("""
            {"tools":[{"name":"echo"},{"name":"two__echo","title":"Two's echo"}],
             "_meta":{"io.mcpgateway/connectors":[{"name":"dead","state":"unavailable","reason":"it cannot be reached"}]}}
            """, answer.Result);
    }

    [Fact]
    public async Task A_cursor_is_refused_because_every_page_is_fetched_server_side()
    {
        var two = _factory.Sessions["two"];
        var pages = 0;
        two.Answer = request => request.Method == "tools/list"
            ? new JsonRpcResponse
            {
                Id = request.Id,
                Result = ++pages < 3 ? JsonNode.Parse($$"""{"tools":[{"name":"t{{pages}}"}],"nextCursor":"c{{pages}}"}""") : JsonNode.Parse("""{"tools":[{"name":"last"}]}"""),
            }
            : null;

        var answer = Assert.IsType<JsonRpcResponse>(await AskAsync("l", "tools/list", "{}"));
        var refused = Assert.IsType<JsonRpcError>(await AskAsync("c", "tools/list", """{"cursor":"c1"}"""));

        Assert.Equal(["echo", "two__t1", "two__t2", "two__last"], answer.Result!["tools"]!.AsArray().Select(tool => (string?)tool!["name"]));
        Assert.Null(answer.Result["nextCursor"]);
        Assert.Equal(["c1", "c2"], Requests(two, "tools/list").Select(request => (string?)request.Params?["cursor"]).OfType<string>());
        Assert.Equal(-32602, refused.Error.Code);
    }

    [Fact]
    public async Task A_tool_call_goes_to_the_server_of_its_prefix_under_the_servers_own_name()
    {
        var two = _factory.Sessions["two"];
        two.Answer = request => request.Method == "tools/call" ? new JsonRpcResponse { Id = request.Id, Result = JsonNode.Parse("""{"content":[{"type":"text","text":"from two"}]}""") } : null;

        var answer = Assert.IsType<JsonRpcResponse>(await AskAsync("c", "tools/call", """{"name":"two__echo","arguments":{"message":"hi"}}"""));

        Assert.Equal(new RequestId("c"), answer.Id);
        Assert.Equal("from two", (string?)answer.Result?["content"]?[0]?["text"]);
        var relayed = Assert.Single(Requests(two, "tools/call"));
        Frames.SameJson("""{"name":"echo","arguments":{"message":"hi"}}""", relayed.Params);
        Assert.Empty(Requests(_factory.Sessions["default"], "tools/call"));
    }

    [Fact]
    public async Task A_tool_of_an_unreachable_connector_gets_an_error_naming_it()
    {
        var answer = Assert.IsType<JsonRpcError>(await AskAsync("c", "tools/call", """{"name":"dead__echo"}"""));

        Assert.Equal(BridgeErrorCodes.UpstreamUnavailable, answer.Error.Code);
        Assert.Contains("'dead'", answer.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connector_needing_authorization_answers_32008_with_where_to_authorize()
    {
        _factory.Failures["dead"] = new ConnectorAuthorizationRequiredException("dead", "not authorized yet");

        var answer = Assert.IsType<JsonRpcError>(await AskAsync("c", "tools/call", """{"name":"dead__echo"}"""));
        var listed = Assert.IsType<JsonRpcResponse>(await AskAsync("l", "tools/list", "{}"));

        Assert.Equal(BridgeErrorCodes.ConnectorAuthorizationRequired, answer.Error.Code);
        Frames.SameJson("""{"connector":"dead","state":"authorization_required","authorize":"/api/connectors/dead/authorize"}""", answer.Error.Data as JsonNode ?? System.Text.Json.JsonSerializer.SerializeToNode(answer.Error.Data));
        Frames.SameJson("""[{"name":"dead","state":"authorization_required","reason":"not authorized yet"}]""", listed.Result?["_meta"]?["io.mcpgateway/connectors"]);
    }

    [Fact]
    public async Task A_step_up_of_a_connector_answers_32009_with_the_scope()
    {
        _factory.Failures["dead"] = new McpGateway.Mcp.Upstream.ConnectorInsufficientScopeException("dead", "files:write");

        var answer = Assert.IsType<JsonRpcError>(await AskAsync("c", "tools/call", """{"name":"dead__write"}"""));

        Assert.Equal(BridgeErrorCodes.ConnectorInsufficientScope, answer.Error.Code);
        Frames.SameJson("""{"connector":"dead","state":"insufficient_scope","scope":"files:write","authorize":"/api/connectors/dead/authorize"}""",
            System.Text.Json.JsonSerializer.SerializeToNode(answer.Error.Data));
    }

    [Fact]
    public async Task Without_a_prefix_connector_an_unknown_name_would_go_to_default_so_a_router_without_one_refuses_it()
    {
        await using var router = new ConnectorRouter(
            new ConnectorCatalog([new Connector("two", new Uri("http://127.0.0.1:2/mcp"), ConnectorAuthorization.None, "two__", "", "", "")]),
            _factory, SessionId.New(), (_, _) => Task.CompletedTask, (_, _) => Task.FromResult<JsonRpcMessage?>(null), Patience, new CapturingLogger<ConnectorRouter>());

        var answer = Assert.IsType<JsonRpcError>(await router.RequestAsync(new JsonRpcRequest { Id = new RequestId(1), Method = "tools/call", Params = JsonNode.Parse("""{"name":"echo"}""") }, Cancellation));

        Assert.Equal(-32602, answer.Error.Code);
        Assert.Contains("'two__' (two)", answer.Error.Message, StringComparison.Ordinal);
        Assert.False(_factory.Connections.ContainsKey("two"));
    }

    [Fact]
    public async Task Server_requests_of_two_servers_get_distinct_gateway_ids_and_each_answer_returns_to_its_server()
    {
        await AskAsync("l", "tools/list", "{}");
        var one = _factory.Sessions["default"];
        var two = _factory.Sessions["two"];

        one.Send(new JsonRpcRequest { Id = new RequestId(7), Method = "sampling/createMessage", Params = new JsonObject { ["from"] = "default" } });
        two.Send(new JsonRpcRequest { Id = new RequestId(7), Method = "sampling/createMessage", Params = new JsonObject { ["from"] = "two" } });
        var asked = new[] { await NextAsync<JsonRpcRequest>(), await NextAsync<JsonRpcRequest>() };
        var fromTwo = asked.Single(request => (string?)request.Params?["from"] == "two");
        var fromOne = asked.Single(request => (string?)request.Params?["from"] == "default");
        Assert.NotEqual(fromOne.Id, fromTwo.Id);

        await _router.AnswerAsync(new JsonRpcResponse { Id = fromTwo.Id, Result = new JsonObject { ["for"] = "two" } }, Cancellation);
        await _router.AnswerAsync(new JsonRpcResponse { Id = fromTwo.Id, Result = new JsonObject { ["for"] = "again" } }, Cancellation);

        var answered = Assert.Single(two.Sent.OfType<JsonRpcResponse>());
        Assert.Equal(new RequestId(7), answered.Id);
        Assert.Equal("two", (string?)answered.Result?["for"]);
        Assert.Empty(one.Sent.OfType<JsonRpcResponse>());
    }

    [Fact]
    public async Task A_server_that_never_answers_a_list_is_left_out_after_the_bound_and_the_others_are_listed()
    {
        _factory.Sessions["default"].Answer = request => request.Method == "initialize" ? new JsonRpcResponse { Id = request.Id, Result = new JsonObject() } : null;

        var answer = Assert.IsType<JsonRpcResponse>(await AskAsync("l", "tools/list", "{}"));

        Assert.Equal(["two__echo"], answer.Result!["tools"]!.AsArray().Select(tool => (string?)tool!["name"]));
        Frames.SameJson("""[{"name":"default","state":"unavailable","reason":"no answer to tools/list within 0.5 s"},{"name":"dead","state":"unavailable","reason":"it cannot be reached"}]""",
            answer.Result["_meta"]?["io.mcpgateway/connectors"]);
    }

    [Fact]
    public async Task A_resource_is_read_from_the_server_that_listed_it_and_an_unknown_one_is_not_found()
    {
        _factory.Sessions["default"] = FakeUpstreamSession.Answering(("resources/list", """{"resources":[]}"""), ("resources/templates/list", """{"resourceTemplates":[]}"""));
        _factory.Sessions["two"].Answer = request => request.Method switch
        {
            "initialize" => new JsonRpcResponse { Id = request.Id, Result = JsonNode.Parse("""{"protocolVersion":"2025-11-25","capabilities":{}}""") },
            "resources/list" => new JsonRpcResponse { Id = request.Id, Result = JsonNode.Parse("""{"resources":[{"uri":"demo://two/x","name":"x"}]}""") },
            "resources/templates/list" => new JsonRpcResponse { Id = request.Id, Result = JsonNode.Parse("""{"resourceTemplates":[]}""") },
            "resources/read" => new JsonRpcResponse { Id = request.Id, Result = JsonNode.Parse("""{"contents":[{"uri":"demo://two/x","text":"two's"}]}""") },
            _ => null,
        };

        var read = Assert.IsType<JsonRpcResponse>(await AskAsync("r", "resources/read", """{"uri":"demo://two/x"}"""));
        var missing = Assert.IsType<JsonRpcError>(await AskAsync("m", "resources/read", """{"uri":"demo://nobody"}"""));

        Assert.Equal("two's", (string?)read.Result?["contents"]?[0]?["text"]);
        Assert.Empty(Requests(_factory.Sessions["default"], "resources/read"));
        Assert.Equal(-32002, missing.Error.Code);
    }

    [Fact]
    public async Task A_cancellation_goes_only_to_the_server_of_the_request()
    {
        var two = _factory.Sessions["two"];
        two.Answer = request => request.Method == "initialize" ? new JsonRpcResponse { Id = request.Id, Result = JsonNode.Parse("""{"protocolVersion":"2025-11-25"}""") } : null;
        await AskAsync("i", "initialize", """{"protocolVersion":"2025-11-25"}""");
        var calling = _router.RequestAsync(new JsonRpcRequest { Id = new RequestId("slow"), Method = "tools/call", Params = JsonNode.Parse("""{"name":"two__wait"}""") }, Cancellation);
        await WaitUntilAsync(() => Requests(two, "tools/call").Any());
        var upstreamId = Requests(two, "tools/call").Single().Id;

        await _router.NotifyAsync(new JsonRpcNotification { Method = "notifications/cancelled", Params = JsonNode.Parse("""{"requestId":"slow"}""") }, Cancellation);

        var cancelled = two.Sent.OfType<JsonRpcNotification>().Single(notification => notification.Method == "notifications/cancelled");
        Assert.Equal(upstreamId.ToString(), cancelled.Params?["requestId"]?.ToString());
        Assert.DoesNotContain(_factory.Sessions["default"].Sent.OfType<JsonRpcNotification>(), notification => notification.Method == "notifications/cancelled");
        two.Send(new JsonRpcResponse { Id = upstreamId, Result = new JsonObject() });
        await calling.WaitAsync(Patience, Cancellation);
    }

    private async Task<T> NextAsync<T>() where T : JsonRpcMessage
        => Assert.IsType<T>(await _browser.Reader.ReadAsync(Cancellation).AsTask().WaitAsync(Patience, Cancellation));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(20))
        {
            Assert.True(waited < Patience, "the condition never held");
            await Task.Delay(20, Cancellation);
        }
    }
}
