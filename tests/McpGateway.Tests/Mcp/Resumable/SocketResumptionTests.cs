using System.Net.WebSockets;
using System.Text.Json.Nodes;
using McpGateway.Mcp;
using McpGateway.Mcp.Resumable;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Resumable;

public sealed class SocketResumptionTests
{
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly SignalingBindings _bindings;
    private readonly InMemoryInFlightCalls _inFlight;
    private readonly SocketResumption _resumption;
    private readonly BridgeUser _alice = new("alice", "Alice", SessionId.New());
    private readonly CapturingLogger<SocketResumptionTests> _logger = new();

    public SocketResumptionTests()
    {
        _bindings = new SignalingBindings(_time);
        _resumption = new SocketResumption(_bindings, _inFlight = new InMemoryInFlightCalls(_time), Microsoft.Extensions.Options.Options.Create(new McpOptions { ResumeTimeout = ResumeTimeout }), _time);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static JsonRpcRequest Initialize(string id = "i1")
        => new() { Id = new RequestId(id), Method = GatewayMethods.Initialize, Params = JsonNode.Parse("""{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""") };

    private static JsonRpcResponse Initialized(string id = "i1")
        => new() { Id = new RequestId(id), Result = JsonNode.Parse("""{"protocolVersion":"2025-11-25","serverInfo":{"name":"up","version":"1"},"capabilities":{},"_meta":{"up/own":1}}""") };

    private async Task<(ResumableSocket Socket, JsonObject Result)> InitializeNewAsync(string upstreamSession = "up-1")
    {
        var socket = _resumption.Open("s1", _alice, await _resumption.FindAsync(null, _alice, _logger, Cancellation), _logger);
        var answer = Assert.IsType<JsonRpcResponse>(await socket.BindAsync(Initialize(), Initialized(), upstreamSession, null, Cancellation));
        return (socket, Assert.IsType<JsonObject>(answer.Result));
    }

    [Fact]
    public async Task A_first_initialize_answer_carries_a_random_handle_beside_the_upstreams_own_meta_and_says_it_is_not_resumed()
    {
        var (socket, result) = await InitializeNewAsync();
        var (other, _) = await InitializeNewAsync();

        var meta = Assert.IsType<JsonObject>(result["_meta"]);
        Assert.Equal(socket.Handle, meta[SocketResumption.HandleMeta]!.GetValue<string>());
        Assert.False(meta[SocketResumption.ResumedMeta]!.GetValue<bool>());
        Assert.Equal(1, meta["up/own"]!.GetValue<int>());
        Assert.True(socket.Handle.Length >= 43, "256 random bits, base64url");
        Assert.NotEqual(socket.Handle, other.Handle);
        Assert.DoesNotContain("up-1", socket.Handle, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_resumes_with_the_handle_the_same_upstream_session_and_its_initialize_is_answered_from_the_stored_result()
    {
        var (first, _) = await InitializeNewAsync("up-7");

        var lookup = await _resumption.FindAsync(first.Handle, _alice, _logger, Cancellation);
        var resumed = _resumption.Open("s2", _alice, lookup, _logger);
        var answer = Assert.IsType<JsonRpcResponse>((await resumed.AnswerInitializeAsync(Initialize("again"), Cancellation)).Answer);

        Assert.Equal(ResumeOutcome.Resumed, lookup.Outcome);
        Assert.Equal("up-7", lookup.Binding!.UpstreamSessionId);
        Assert.Contains("clientInfo", lookup.Binding.InitializeParams, StringComparison.Ordinal);
        Assert.Equal(first.Handle, resumed.Handle);
        Assert.True(resumed.IsResumed);
        Assert.Equal(new RequestId("again"), answer.Id);
        var result = Assert.IsType<JsonObject>(answer.Result);
        Assert.Equal("up", result["serverInfo"]!["name"]!.GetValue<string>());
        Assert.Equal(first.Handle, result["_meta"]![SocketResumption.HandleMeta]!.GetValue<string>());
        Assert.True(result["_meta"]![SocketResumption.ResumedMeta]!.GetValue<bool>());
        Assert.Null((await resumed.AnswerInitializeAsync(new JsonRpcRequest { Id = new RequestId(3), Method = GatewayMethods.ToolsCall }, Cancellation)).Answer);
    }

    [Fact]
    public async Task A_resumed_initialize_names_the_calls_the_lost_socket_left_unanswered_once_and_hands_them_over_for_recovery()
    {
        var (first, _) = await InitializeNewAsync("up-8");
        var answered = first.Journal.Track(1, new RequestId("answered"));
        answered.Seen("e-1");
        answered.End();
        first.Journal.Track(2, new RequestId(42)).Seen("e-2");
        first.Journal.Track(3, new RequestId("no-event-yet"));
        // Behind the router a connector numbers its calls on its own: the same upstream id is another call.
        first.Journal.For("two").Track(2, new RequestId("routed")).Seen("t-2");

        var resumed = _resumption.Open("s2", _alice, await _resumption.FindAsync(first.Handle, _alice, _logger, Cancellation), _logger);
        var (answer, recovering) = await resumed.AnswerInitializeAsync(Initialize("again"), Cancellation);
        var (again, none) = await resumed.AnswerInitializeAsync(Initialize("twice"), Cancellation);

        Assert.Equal(
            [(new InFlightCallKey(null, 2), new RequestId(42), "e-2"), (new InFlightCallKey("two", 2), new RequestId("routed"), "t-2")],
            recovering.Select(call => (call.Key, call.BrowserId, call.EventId)).OrderBy(call => call.Key.Connector, StringComparer.Ordinal));
        var pending = new JsonResponseOf(answer).Meta[SocketResumption.PendingMeta]!.AsArray();
        Assert.Equal(["42", "routed"], pending.Select(id => id!.ToJsonString().Trim('"')).Order(StringComparer.Ordinal));
        Assert.Empty(none);
        Assert.Empty(new JsonResponseOf(again).Meta[SocketResumption.PendingMeta]!.AsArray());
    }

    [Fact]
    public async Task A_new_socket_answers_no_initialize_itself()
    {
        var socket = _resumption.Open("s1", _alice, await _resumption.FindAsync(null, _alice, _logger, Cancellation), _logger);

        Assert.Null((await socket.AnswerInitializeAsync(Initialize(), Cancellation)).Answer);
        Assert.False(socket.IsResumed);
    }

    [Fact]
    public async Task Another_sign_in_sessions_handle_is_refused_even_for_the_same_subject()
    {
        var (first, _) = await InitializeNewAsync();

        var sameSubjectOtherSession = new BridgeUser("alice", "Alice", SessionId.New());
        var mallory = new BridgeUser("mallory", null, SessionId.New());

        Assert.Equal(ResumeOutcome.Foreign, (await _resumption.FindAsync(first.Handle, mallory, _logger, Cancellation)).Outcome);
        Assert.Equal(ResumeOutcome.Foreign, (await _resumption.FindAsync(first.Handle, sameSubjectOtherSession, _logger, Cancellation)).Outcome);
        Assert.Null((await _resumption.FindAsync(first.Handle, mallory, _logger, Cancellation)).Binding);
    }

    [Theory]
    [InlineData("never-issued")]
    [InlineData("")]
    public async Task An_unknown_or_missing_handle_starts_a_new_session_with_a_new_handle(string handle)
    {
        var lookup = await _resumption.FindAsync(handle, _alice, _logger, Cancellation);
        var socket = _resumption.Open("s1", _alice, lookup, _logger);

        Assert.Equal(handle.Length == 0 ? ResumeOutcome.None : ResumeOutcome.Unknown, lookup.Outcome);
        Assert.NotEqual(handle, socket.Handle);
        Assert.False(socket.IsResumed);
    }

    [Fact]
    public async Task An_overlong_handle_is_unknown_without_a_lookup()
        => Assert.Equal(ResumeOutcome.Unknown, (await _resumption.FindAsync(new string('a', 129), _alice, _logger, Cancellation)).Outcome);

    [Fact]
    public async Task A_store_that_cannot_be_read_counts_as_an_unknown_handle_and_is_logged_without_it()
    {
        var (socket, _) = await InitializeNewAsync();
        _bindings.FailReads = true;

        var lookup = await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation);

        Assert.Equal(ResumeOutcome.Unknown, lookup.Outcome);
        var logged = Assert.Single(_logger.Entries, entry => entry.EventId.Id == 4116);
        Assert.DoesNotContain(socket.Handle, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_socket_stays_resumable_for_the_resume_timeout_then_expires()
    {
        var (socket, _) = await InitializeNewAsync();

        Assert.True(await socket.ReleaseAsync(null));
        _time.Advance(ResumeTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(ResumeOutcome.Resumed, (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Outcome);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ResumeOutcome.Unknown, (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Outcome);
    }

    [Fact]
    public async Task The_binding_is_refreshed_while_the_socket_lives_and_outlives_it_by_the_resume_timeout()
    {
        var (socket, _) = await InitializeNewAsync();
        using var living = new CancellationTokenSource();
        var refreshing = socket.RefreshAsync(() => "up-1", () => null, living.Token);

        for (var step = 0; step < 6; step++)
        {
            // Two whole resume timeouts go by: only the refreshes keep the binding.
            _time.Advance(ResumeTimeout / 3);
            Assert.True(await _bindings.Written.WaitAsync(Patience, Cancellation), "the binding was refreshed");
        }

        Assert.Equal(ResumeOutcome.Resumed, (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Outcome);
        Assert.Equal(6, _bindings.Touches);

        await living.CancelAsync();
        await refreshing;
        _time.Advance(ResumeTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(ResumeOutcome.Unknown, (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Outcome);
    }

    [Fact]
    public async Task A_refresh_records_the_new_upstream_session_after_the_link_replaced_a_lost_one()
    {
        var (socket, _) = await InitializeNewAsync("up-1");
        using var living = new CancellationTokenSource();
        var refreshing = socket.RefreshAsync(() => "up-2", () => null, living.Token);
        var saves = _bindings.Saves;

        _time.Advance(ResumeTimeout / 3);
        Assert.True(await _bindings.Written.WaitAsync(Patience, Cancellation));
        await living.CancelAsync();
        await refreshing;

        Assert.Equal(saves + 1, _bindings.Saves);
        Assert.Equal("up-2", (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Binding!.UpstreamSessionId);
        Assert.Equal("up-2", socket.UpstreamSessionId);
    }

    [Fact]
    public async Task A_routed_sessions_connector_map_is_bound_and_a_connector_session_opened_later_is_stored_at_once()
    {
        var socket = _resumption.Open("s1", _alice, await _resumption.FindAsync(null, _alice, _logger, Cancellation), _logger);
        await socket.BindAsync(Initialize(), Initialized(), null, Connectors(("default", "up-d")), Cancellation);
        Assert.Equal("up-d", (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Binding!.Connectors!["default"].SessionId);

        Assert.False(await socket.SyncAsync(null, Connectors(("default", "up-d")), Cancellation));
        Assert.True(await socket.SyncAsync(null, Connectors(("default", "up-d"), ("two", "up-t")), Cancellation));

        var resumed = (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Binding!;
        Assert.Equal(["default", "two"], resumed.Connectors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("up-t", resumed.Connectors["two"].SessionId);
        Assert.Null(resumed.UpstreamSessionId);
    }

    [Fact]
    public async Task Nothing_is_stored_before_the_initialize_is_bound_nor_after_a_normal_close_forgot_the_handle()
    {
        var socket = _resumption.Open("s1", _alice, await _resumption.FindAsync(null, _alice, _logger, Cancellation), _logger);
        Assert.False(await socket.SyncAsync("up-1", Connectors(("default", "up-d")), Cancellation));
        await socket.BindAsync(Initialize(), Initialized(), null, Connectors(("default", "up-d")), Cancellation);

        Assert.False(await socket.ReleaseAsync(WebSocketCloseStatus.NormalClosure));
        Assert.False(await socket.SyncAsync(null, Connectors(("default", "up-d2")), Cancellation));

        Assert.Equal(ResumeOutcome.Unknown, (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Outcome);
        Assert.Equal(1, _bindings.Saves);
    }

    private static Dictionary<string, McpGateway.Mcp.StreamableHttp.ConnectorSessionBinding> Connectors(params (string Name, string Session)[] sessions)
        => sessions.ToDictionary(pair => pair.Name, pair => new McpGateway.Mcp.StreamableHttp.ConnectorSessionBinding { SessionId = pair.Session, ProtocolVersion = "2025-11-25" }, StringComparer.Ordinal);

    [Theory]
    [InlineData(WebSocketCloseStatus.NormalClosure)]
    [InlineData(WebSocketCloseStatus.Empty)]
    [InlineData((WebSocketCloseStatus)4401)]
    [InlineData((WebSocketCloseStatus)4408)]
    public async Task A_socket_the_user_or_the_gateway_closed_for_good_deletes_its_binding_and_ends_the_upstream_session(WebSocketCloseStatus status)
    {
        var (socket, _) = await InitializeNewAsync();

        Assert.False(await socket.ReleaseAsync(status));
        Assert.Equal(ResumeOutcome.Unknown, (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Outcome);
    }

    [Fact]
    public async Task A_socket_going_away_or_drained_keeps_its_binding_and_its_upstream_session()
    {
        var (socket, _) = await InitializeNewAsync();

        Assert.True(await socket.ReleaseAsync(WebSocketCloseStatus.EndpointUnavailable));
        Assert.Equal(ResumeOutcome.Resumed, (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Outcome);
        Assert.Contains(_logger.Entries, entry => entry.EventId.Id == 4113);
    }

    [Fact]
    public async Task A_failed_initialize_is_passed_on_unchanged_and_binds_nothing()
    {
        var socket = _resumption.Open("s1", _alice, await _resumption.FindAsync(null, _alice, _logger, Cancellation), _logger);
        var error = new JsonRpcError { Id = new RequestId("i1"), Error = new JsonRpcErrorDetail { Code = -32602, Message = "bad version" } };

        Assert.Same(error, await socket.BindAsync(Initialize(), error, "up-1", null, Cancellation));
        Assert.False(socket.IsBound);
        Assert.False(await socket.ReleaseAsync(null));
        Assert.Equal(0, _bindings.Saves);
    }

    [Fact]
    public async Task The_binding_holds_neither_the_handle_nor_the_owners_session_id()
    {
        var (socket, _) = await InitializeNewAsync();

        var binding = (await _resumption.FindAsync(socket.Handle, _alice, _logger, Cancellation)).Binding!;
        var stored = System.Text.Json.JsonSerializer.Serialize(binding, McpGateway.Mcp.StreamableHttp.McpHttpJsonContext.Default.McpSessionBinding);

        Assert.DoesNotContain(socket.Handle, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(_alice.Session.Value, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(socket.Handle, SocketResumption.KeyOf(socket.Handle), StringComparison.Ordinal);
    }

    private sealed record JsonResponseOf(JsonRpcMessage? Answer)
    {
        public JsonObject Meta => Assert.IsType<JsonObject>(Assert.IsType<JsonObject>(Assert.IsType<JsonRpcResponse>(Answer).Result)["_meta"]);
    }
}
