using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Contexts;
using McpGateway.Tests.Contexts;
using McpGateway.Mcp;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

public sealed class GatewayRequestHandlerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly BridgeUser Alice = new("alice", "Alice Liddell", SessionId.New());
    private static readonly BridgeUser Bob = new("bob", null, SessionId.New());

    private readonly ContextServiceRig _contexts = new(new ContextOptions { MaxContentBytes = 100, MaxPerConversation = 2 }, Now);
    private readonly GatewayRequestHandler _handler;

    public GatewayRequestHandlerTests() => _handler = new GatewayRequestHandler(GatewayTools.CalculatorAndEcho(), _contexts.Service);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _contexts.Dispose();

    [Fact]
    public async Task A_gateway_tool_call_runs_in_the_gateway_and_answers_a_call_tool_result()
    {
        var answer = await Handle(Alice, "tools/call", """{"name":"calculator","arguments":{"expression":"2 * (3 + 4)^2"}}""");

        var response = Assert.IsType<JsonRpcResponse>(answer);
        Assert.Equal(new RequestId("r"), response.Id);
        Frames.SameJson("""{"content":[{"type":"text","text":"98"}],"structuredContent":{"result":98},"isError":false}""", response.Result);
        var result = response.Result.Deserialize<CallToolResult>(McpJsonUtilities.DefaultOptions)!;
        Assert.Equal("98", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Theory]
    [InlineData("""{"name":"calculator","arguments":{"expression":"1/0"}}""", "Division by zero")]
    [InlineData("""{"name":"calculator","arguments":{}}""", "Missing required argument 'expression'.")]
    [InlineData("""{"name":"calculator"}""", "Missing required argument 'expression'.")]
    [InlineData("""{"name":"calculator","arguments":null}""", "Missing required argument 'expression'.")]
    [InlineData("""{"name":"calculator","arguments":"1+1"}""", "must be a JSON object")]
    [InlineData("""{"name":"calculator","arguments":{"expression":"1","eval":"x"}}""", "Unknown argument 'eval'")]
    public async Task A_tool_failure_is_an_error_result_not_a_protocol_error(string parameters, string text)
    {
        var response = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "tools/call", parameters));

        Assert.True((bool?)response.Result?["isError"]);
        Assert.Contains(text, (string?)response.Result?["content"]?[0]?["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_is_told_who_calls_it()
    {
        var response = Assert.IsType<JsonRpcResponse>(await Handle(Bob, "tools/call", """{"name":"gateway_echo","arguments":{"a":[1]}}"""));

        Assert.Equal("""bob:{"a":[1]}""", (string?)response.Result?["content"]?[0]?["text"]);
    }

    [Theory]
    [InlineData("""{"name":"echo","arguments":{}}""")]
    [InlineData("""{"name":"Calculator","arguments":{}}""")]
    [InlineData("""{"name":"user-profile/update"}""")]
    public async Task A_tools_call_of_any_other_tool_is_for_the_upstream(string? parameters)
        => Assert.Null(await Handle(Alice, "tools/call", parameters));

    [Theory]
    [InlineData("""{"name":"a\nb","arguments":{}}""")]
    [InlineData("""{"name":"calculator\r\nX-Injected: 1"}""")]
    [InlineData("""{"name":"a\u0000b"}""")]
    [InlineData("""{"name":"calculator ","arguments":{}}""")]
    [InlineData("""{"name":"caf\u00e9"}""")]
    [InlineData("""{"name":7}""")]
    [InlineData("""{"name":null}""")]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"arguments":{"expression":"1"}}""")]
    [InlineData(null)]
    public async Task A_tools_call_without_a_valid_tool_name_is_refused_as_invalid_params_before_it_is_relayed(string? parameters)
    {
        var error = Assert.IsType<JsonRpcError>(await Handle(Alice, "tools/call", parameters));

        Assert.Equal(new RequestId("r"), error.Id);
        Assert.Equal((int)McpErrorCode.InvalidParams, error.Error.Code);
        Assert.Contains("tool name", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_name_longer_than_128_characters_is_refused()
    {
        var error = Assert.IsType<JsonRpcError>(await Handle(Alice, "tools/call", $$"""{"name":"{{new string('t', 129)}}"}"""));

        Assert.Equal((int)McpErrorCode.InvalidParams, error.Error.Code);
    }

    [Theory]
    [InlineData("tools/call", """["calculator","1+1"]""")]
    [InlineData("context/list", """["c"]""")]
    [InlineData("context/delete", """["c","x"]""")]
    public async Task Array_params_are_relayed_or_refused_not_thrown(string method, string parameters)
    {
        var answer = await Handle(Alice, method, parameters);

        Assert.True(answer is null || answer is JsonRpcError { Error.Code: (int)McpErrorCode.InvalidParams });
        Assert.Null(_handler.GatewayToolName(Request(method, parameters)));
    }

    [Theory]
    [InlineData("tools/list")]
    [InlineData("initialize")]
    [InlineData("ping")]
    [InlineData("resources/read")]
    [InlineData("context/update")]
    [InlineData("auth")]
    [InlineData("context_store")]
    public async Task Other_methods_are_for_the_upstream(string method)
        => Assert.Null(await Handle(Alice, method, """{"name":"calculator","conversation_id":"c"}"""));

    [Theory]
    [InlineData("""{"name":"calculator"}""", "calculator")]
    [InlineData("""{"name":"gateway_echo","arguments":{}}""", "gateway_echo")]
    [InlineData("""{"name":"echo"}""", null)]
    [InlineData("""{"name":1}""", null)]
    [InlineData(null, null)]
    public void Gateway_tool_name_names_only_gateway_tools(string? parameters, string? expected)
    {
        Assert.Equal(expected, _handler.GatewayToolName(Request("tools/call", parameters)));
        Assert.Null(_handler.GatewayToolName(Request("tools/list", parameters)));
    }

    [Theory]
    [InlineData("""{"name":"echo"}""", "echo")]
    [InlineData("""{"name":"calculator"}""", null)]
    [InlineData("""{"name":"a\nb"}""", null)]
    [InlineData("""{"name":""}""", null)]
    [InlineData("""{"name":1}""", null)]
    [InlineData(null, null)]
    public void Upstream_tool_name_names_only_valid_tools_the_gateway_does_not_run(string? parameters, string? expected)
    {
        Assert.Equal(expected, _handler.UpstreamToolName(Request("tools/call", parameters)));
        Assert.Null(_handler.UpstreamToolName(Request("tools/list", parameters)));
    }

    [Fact]
    public async Task Context_store_keeps_the_context_and_tells_the_users_sockets()
    {
        var response = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/store",
            """{"conversation_id":"conv-1","id":"ctx-1","content":"the user likes tea","metadata":{"model":"gpt-x","tokens_used":12}}"""));

        const string Stored = """
            {"id":"ctx-1","conversation_id":"conv-1","content":"the user likes tea","metadata":{"timestamp":1772366400000,"model":"gpt-x","tokens_used":12}}
            """;
        Frames.SameJson($$"""{"context":{{Stored}}}""", response.Result);
        var published = Assert.Single(_contexts.Events);
        Assert.Equal(GatewayEvent.ContextUpdated, published.Type);
        Assert.Equal("alice", published.Subject);
        Frames.SameJson($$"""{"conversation_id":"conv-1","action":"stored","id":"ctx-1","context":{{Stored}}}""", JsonNode.Parse(published.Payload!.Value.GetRawText()));
    }

    [Fact]
    public async Task Context_store_without_an_id_assigns_one()
    {
        var response = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/store", """{"conversation_id":"c","content":"x"}"""));

        var id = (string?)response.Result?["context"]?["id"];
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, JsonNode.Parse(Assert.Single(_contexts.Events).Payload!.Value.GetRawText())?["id"]?.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""["c","x"]""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":"c","content":{"a":"\ud800"}}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":"c","content":"x","metadata":{"note":"\udc00"}}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":"c","content":"x","metadata":{"timestamp":1.5}}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":"c","content":"x","metadata":{"timestamp":true}}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":"c","content":"x","metadata":{"timestamp":253402300800000}}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":5,"content":"x"}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":"c","content":"x","metadata":"m"}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":"c","content":"x","metadata":{"timestamp":"yesterday"}}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"conversation_id":"c","content":"x","metadata":{"tokens_used":"many"}}""", "params must be {conversation_id, content, metadata?, id?}.")]
    [InlineData("""{"content":"x"}""", "conversation_id is required: 1 to 128 letters, digits, '.', '_', ':' or '-'.")]
    [InlineData("""{"conversation_id":"a b","content":"x"}""", "conversation_id is required: 1 to 128 letters, digits, '.', '_', ':' or '-'.")]
    [InlineData("""{"conversation_id":"c","id":"../x","content":"x"}""", "id is required: 1 to 128 letters, digits, '.', '_', ':' or '-'.")]
    [InlineData("""{"conversation_id":"c"}""", "content is required: any JSON value but null (a string, number, boolean, array or object).")]
    [InlineData("""{"conversation_id":"c","content":null}""", "content is required: any JSON value but null (a string, number, boolean, array or object).")]
    [InlineData("""{"conversation_id":"c","content":"x","metadata":{"tokens_used":-1}}""", "metadata.tokens_used must not be negative and metadata.model must be at most 200 characters.")]
    public async Task Context_store_with_invalid_params_is_invalid_params_and_stores_nothing(string? parameters, string message)
    {
        var error = Assert.IsType<JsonRpcError>(await Handle(Alice, "context/store", parameters));

        Assert.Equal(new RequestId("r"), error.Id);
        Assert.Equal((int)McpErrorCode.InvalidParams, error.Error.Code);
        Assert.Equal(message, error.Error.Message);
        Assert.Empty(_contexts.Events);
    }

    [Fact]
    public async Task Context_store_over_the_size_or_count_limit_is_invalid_params_naming_the_limit()
    {
        var tooBig = Assert.IsType<JsonRpcError>(await Handle(Alice, "context/store", $$"""{"conversation_id":"c","content":"{{new string('x', 101)}}"}"""));
        Assert.Equal("content is larger than 100 bytes.", tooBig.Error.Message);

        await Handle(Alice, "context/store", """{"conversation_id":"c","content":"1"}""");
        await Handle(Alice, "context/store", """{"conversation_id":"c","content":"2"}""");
        var full = Assert.IsType<JsonRpcError>(await Handle(Alice, "context/store", """{"conversation_id":"c","content":"3"}"""));

        Assert.Equal((int)McpErrorCode.InvalidParams, full.Error.Code);
        Assert.Equal("The conversation already holds 2 contexts; delete some first.", full.Error.Message);
        Assert.Equal(2, _contexts.Events.Count);
    }

    [Fact]
    public async Task Context_list_answers_the_users_contexts_in_order()
    {
        await Handle(Alice, "context/store", """{"conversation_id":"c","id":"b","content":"second","metadata":{"timestamp":"2026-03-01T12:00:02Z"}}""");
        await Handle(Alice, "context/store", """{"conversation_id":"c","id":"a","content":"first","metadata":{"timestamp":"2026-03-01T12:00:01Z"}}""");
        await Handle(Bob, "context/store", """{"conversation_id":"c","id":"z","content":"bob's"}""");

        var response = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/list", """{"conversation_id":"c"}"""));

        Assert.Equal(["a", "b"], response.Result!["contexts"]!.AsArray().Select(context => (string?)context?["id"]));
        Assert.Equal("first", (string?)response.Result["contexts"]![0]!["content"]);
        Frames.SameJson("""{"contexts":[]}""", Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/list", """{"conversation_id":"other"}""")).Result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("""{"conversation_id":7}""")]
    [InlineData("""{"conversation_id":""}""")]
    [InlineData("""{"conversation_id":"c/../d"}""")]
    public async Task Context_list_without_a_valid_conversation_is_invalid_params(string? parameters)
    {
        var error = Assert.IsType<JsonRpcError>(await Handle(Alice, "context/list", parameters));

        Assert.Equal((int)McpErrorCode.InvalidParams, error.Error.Code);
        Assert.Contains("conversation_id", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_delete_removes_the_context_and_tells_the_users_sockets()
    {
        await Handle(Alice, "context/store", """{"conversation_id":"c","id":"x","content":"gone soon"}""");
        _contexts.Events.Clear();

        var response = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/delete", """{"conversation_id":"c","id":"x"}"""));

        Frames.SameJson("""{"deleted":true}""", response.Result);
        var published = Assert.Single(_contexts.Events);
        Assert.Equal(("alice", GatewayEvent.ContextUpdated), (published.Subject, published.Type));
        Frames.SameJson("""{"conversation_id":"c","action":"deleted","id":"x"}""", JsonNode.Parse(published.Payload!.Value.GetRawText()));
        Frames.SameJson("""{"contexts":[]}""", Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/list", """{"conversation_id":"c"}""")).Result);
    }

    [Theory]
    [InlineData("""{"conversation_id":"c","id":"missing"}""", "No context 'missing' in conversation 'c'.")]
    [InlineData("""{"conversation_id":"c"}""", "id is required: 1 to 128 letters, digits, '.', '_', ':' or '-'.")]
    [InlineData("""{"id":"x"}""", "conversation_id is required: 1 to 128 letters, digits, '.', '_', ':' or '-'.")]
    [InlineData(null, "conversation_id is required: 1 to 128 letters, digits, '.', '_', ':' or '-'.")]
    public async Task Context_delete_that_fails_is_invalid_params_and_tells_nobody(string? parameters, string message)
    {
        await Handle(Alice, "context/store", """{"conversation_id":"c","id":"x","content":"kept"}""");
        _contexts.Events.Clear();

        var error = Assert.IsType<JsonRpcError>(await Handle(Alice, "context/delete", parameters));

        Assert.Equal((int)McpErrorCode.InvalidParams, error.Error.Code);
        Assert.Equal(message, error.Error.Message);
        Assert.Empty(_contexts.Events);
    }

    [Fact]
    public async Task A_user_cannot_delete_another_users_context()
    {
        await Handle(Alice, "context/store", """{"conversation_id":"c","id":"x","content":"alice's"}""");

        Assert.IsType<JsonRpcError>(await Handle(Bob, "context/delete", """{"conversation_id":"c","id":"x"}"""));
        Assert.Single(Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/list", """{"conversation_id":"c"}""")).Result!["contexts"]!.AsArray());
    }

    [Fact]
    public async Task Gateway_auth_answers_who_the_socket_belongs_to()
    {
        Frames.SameJson("""{"authenticated":true,"sub":"alice","name":"Alice Liddell"}""",
            Assert.IsType<JsonRpcResponse>(await Handle(Alice, "gateway/auth", """{"token":"ignored"}""")).Result);
        Frames.SameJson("""{"authenticated":true,"sub":"bob","name":null}""",
            Assert.IsType<JsonRpcResponse>(await Handle(Bob, "gateway/auth", null)).Result);
    }

    private Task<JsonRpcMessage?> Handle(BridgeUser user, string method, string? parameters)
        => _handler.TryHandleAsync(Request(method, parameters), user, Cancellation);

    private static JsonRpcRequest Request(string method, string? parameters)
        => new() { Id = new RequestId("r"), Method = method, Params = parameters is null ? null : JsonNode.Parse(parameters) };
}
