using System.Text.Json.Nodes;
using McpGateway.Contexts;
using McpGateway.Tests.Contexts;
using McpGateway.Mcp;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

/// <summary><c>context/store</c> with the seed's shapes: object contents, any JSON value, millisecond timestamps, extra metadata.</summary>
public sealed class GatewayRequestHandlerContextTests : IDisposable
{
    private static readonly BridgeUser Alice = new("alice", "Alice Liddell", SessionId.New());

    private readonly ContextServiceRig _contexts = new(new ContextOptions { MaxContentBytes = 100, MaxPerConversation = 2 }, new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly GatewayRequestHandler _handler;

    public GatewayRequestHandlerContextTests() => _handler = new GatewayRequestHandler(GatewayTools.CalculatorAndEcho(), _contexts.Service);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _contexts.Dispose();

    [Fact]
    public async Task Context_store_keeps_the_seeds_object_content_and_metadata_as_they_came()
    {
        const string Seed = """
            {"id":"ctx-seed","conversation_id":"conv-1","content":{"message":"trains","timestamp":1733140000000,"user_context":{"tags":["a",7,true,null,2.50]}},"metadata":{"timestamp":1733140000000,"model":"gpt-4","tokens_used":42,"source":{"app":"seed"}}}
            """;

        var response = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/store", Seed));

        Frames.SameJson($$"""{"context":{{Seed}}}""", response.Result);
        Assert.Equal("2.50", response.Result!["context"]!["content"]!["user_context"]!["tags"]![4]!.ToJsonString());
        Frames.SameJson($$"""{"conversation_id":"conv-1","action":"stored","id":"ctx-seed","context":{{Seed}}}""", JsonNode.Parse(Assert.Single(_contexts.Events).Payload!.Value.GetRawText()));
        var listed = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/list", """{"conversation_id":"conv-1"}"""));
        Frames.SameJson($$"""{"contexts":[{{Seed}}]}""", listed.Result);
    }

    [Theory]
    [InlineData("""[1,"two",{"three":3}]""")]
    [InlineData("-12.5e3")]
    [InlineData("false")]
    [InlineData(""""{"a":{"b":{"c":[[]]}}}"""")]
    public async Task Context_store_keeps_any_json_content(string content)
    {
        var response = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/store", $$"""{"conversation_id":"c","id":"x","content":{{content}}}"""));

        Assert.Equal(content, response.Result!["context"]!["content"]!.ToJsonString());
    }

    [Fact]
    public async Task Context_store_with_object_content_over_the_limit_is_invalid_params()
    {
        // 100 bytes allowed: {"m":"…"} is 8 bytes of JSON around the text.
        var fits = Assert.IsType<JsonRpcResponse>(await Handle(Alice, "context/store", $$$"""{"conversation_id":"c","content":{"m":"{{{new string('x', 92)}}}"}}"""));
        var tooBig = Assert.IsType<JsonRpcError>(await Handle(Alice, "context/store", $$$"""{"conversation_id":"c","content":{"m":"{{{new string('x', 93)}}}"}}"""));

        Assert.NotNull(fits.Result);
        Assert.Equal("content is larger than 100 bytes.", tooBig.Error.Message);
        Assert.Single(_contexts.Events);
    }

    private Task<JsonRpcMessage?> Handle(BridgeUser user, string method, string? parameters)
        => _handler.TryHandleAsync(new JsonRpcRequest { Id = new RequestId("r"), Method = method, Params = parameters is null ? null : JsonNode.Parse(parameters) }, user, Cancellation);
}
