using System.Text.Json.Nodes;
using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using McpGateway.Mcp.StreamableHttp;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;
using McpGateway.Tests.Mcp.Upstream;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Connectors.Routing;

/// <summary>What a resumable routed session stores and how it resumes: each connector's upstream session by name.</summary>
public sealed class ConnectorRouterResumeTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly ConnectorSessionFactory _factory = new();
    private readonly ConnectorRouter _router;
    private int _changes;

    public ConnectorRouterResumeTests()
    {
        var catalog = new ConnectorCatalog([
            new Connector("default", new Uri("http://127.0.0.1:1/mcp"), ConnectorAuthorization.Session, "", "", "", ""),
            new Connector("two", new Uri("http://127.0.0.1:2/mcp"), ConnectorAuthorization.None, "two__", "", "", ""),
            new Connector("dead", new Uri("http://127.0.0.1:3/mcp"), ConnectorAuthorization.None, "dead__", "", "", ""),
        ]);
        _factory.Sessions["default"] = Session("up-default", ("tools/call", """{"content":[{"type":"text","text":"from default"}]}"""));
        _factory.Sessions["two"] = Session("up-two", ("tools/call", """{"content":[{"type":"text","text":"from two"}]}"""));
        _router = new ConnectorRouter(catalog, _factory, SessionId.New(), (_, _) => Task.CompletedTask,
            (_, _) => Task.FromResult<JsonRpcMessage?>(null), TimeSpan.FromMilliseconds(500), new CapturingLogger<ConnectorRouter>())
        {
            SessionsChanged = () => Interlocked.Increment(ref _changes),
        };
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static JsonRpcRequest Initialize => new()
    {
        Id = new RequestId("i"), Method = "initialize", Params = JsonNode.Parse("""{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}"""),
    };

    public ValueTask DisposeAsync() => _router.DisposeAsync();

    [Fact]
    public async Task After_initialize_each_connector_that_holds_a_session_is_named_with_its_session_and_revision_and_the_dead_one_is_left_out()
    {
        await _router.RequestAsync(Initialize, Cancellation).WaitAsync(Patience, Cancellation);

        var sessions = _router.ConnectorSessions;
        Assert.Equal(["default", "two"], sessions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ConnectorSessionBinding { SessionId = "up-default", ProtocolVersion = "2025-11-25" }, sessions["default"]);
        Assert.Equal("up-two", sessions["two"].SessionId);
        Assert.True(Volatile.Read(ref _changes) >= 2, "each opened session was signalled, for the binding to store it");
    }

    [Fact]
    public async Task A_resumed_router_joins_each_stored_session_and_a_connector_without_one_opens_a_new_session_initialized_with_the_stored_initialize()
    {
        var stored = new Dictionary<string, ConnectorSessionBinding>
        {
            ["default"] = new() { SessionId = "up-default", ProtocolVersion = "2025-11-25" },
        };
        _router.Resume(null, Initialize, stored);

        // Before any use the stored sessions are what a binding keeps (none is lost by a refresh).
        Assert.Equal("up-default", Assert.Single(_router.ConnectorSessions).Value.SessionId);
        var one = await _router.RequestAsync(new JsonRpcRequest { Id = new RequestId(1), Method = "tools/call", Params = JsonNode.Parse("""{"name":"echo"}""") }, Cancellation);
        var two = await _router.RequestAsync(new JsonRpcRequest { Id = new RequestId(2), Method = "tools/call", Params = JsonNode.Parse("""{"name":"two__echo"}""") }, Cancellation);

        Assert.Equal("from default", (string?)Assert.IsType<JsonRpcResponse>(one).Result!["content"]![0]!["text"]);
        Assert.Equal("from two", (string?)Assert.IsType<JsonRpcResponse>(two).Result!["content"]![0]!["text"]);
        Assert.Equal("up-default", _factory.Joined["default"]);
        Assert.DoesNotContain(_factory.Sessions["default"].Sent.OfType<JsonRpcRequest>(), request => request.Method == "initialize");
        Assert.Null(_factory.Joined["two"]);
        Assert.Equal("initialize", _factory.Sessions["two"].Sent.OfType<JsonRpcRequest>().First().Method);
        Assert.Equal(["default", "two"], _router.ConnectorSessions.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_detached_router_leaves_every_connectors_session_open_and_a_disposed_one_ends_them()
    {
        await _router.RequestAsync(Initialize, Cancellation).WaitAsync(Patience, Cancellation);

        await _router.DetachAsync();

        Assert.True(_factory.Sessions["default"].Detached);
        Assert.True(_factory.Sessions["two"].Detached);
    }

    private static FakeUpstreamSession Session(string id, params (string Method, string Result)[] results)
    {
        var session = FakeUpstreamSession.Answering(results);
        session.SessionId = id;
        return session;
    }
}
