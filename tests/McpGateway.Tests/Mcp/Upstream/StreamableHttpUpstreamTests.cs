using System.Net;
using System.Text.Json.Nodes;
using McpGateway.Mcp.Upstream;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class StreamableHttpUpstreamTests
{
    [Theory]
    [InlineData("tools/call", "name", "a\nb", McpErrorCode.InvalidParams)]
    [InlineData("prompts/get", "name", "a\r\nX-Injected: 1", McpErrorCode.InvalidParams)]
    [InlineData("resources/read", "uri", "test://a\u0000b", McpErrorCode.InvalidParams)]
    [InlineData("tools/list\n", "cursor", "c", McpErrorCode.InvalidRequest)]
    public async Task A_value_the_sdk_would_put_in_a_header_is_refused_before_anything_is_sent(string method, string member, string value, McpErrorCode code)
    {
        var server = new FakeHttpHandler(_ => FakeHttpHandler.Json(HttpStatusCode.OK, """{"jsonrpc":"2.0","id":1,"result":{}}"""));
        await using var upstream = await StreamableHttpUpstream.ConnectAsync(
            new Uri("http://127.0.0.1:9/mcp"), new HttpClient(server), NullLoggerFactory.Instance, knownSessionId: null, TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<UpstreamRejectedException>(() => upstream.SendAsync(
            new JsonRpcRequest { Id = new RequestId(1), Method = method, Params = new JsonObject { [member] = value } }, TestContext.Current.CancellationToken));

        Assert.Equal((int)code, refused.Error.Code);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("""{"tools":{}}""", """{}""", false)]
    [InlineData("""{"tools":{"listChanged":true}}""", """{}""", true)]
    [InlineData("""{"logging":{}}""", """{}""", true)]
    [InlineData("""{"tools":{}}""", """{"sampling":{}}""", true)]
    public async Task The_standalone_stream_is_opened_after_initialization_only_when_the_server_may_send_or_the_client_invites_requests(
        string serverCapabilities, string clientCapabilities, bool opened)
    {
        var server = new InitializingServer(serverCapabilities);
        await using var upstream = await StreamableHttpUpstream.ConnectAsync(
            new Uri("http://127.0.0.1:9/mcp"), new HttpClient(server.Handler), NullLoggerFactory.Instance, knownSessionId: null, TestContext.Current.CancellationToken);

        await InitializeAsync(upstream, clientCapabilities);

        Assert.Equal(opened, upstream.StandaloneStreamOpened);
        if (opened)
        {
            var get = await server.Get.Task.WaitAsync(TestContext.Current.CancellationToken);
            Assert.Equal("s-1", Assert.Single(get.Headers.GetValues("Mcp-Session-Id")));
            Assert.Equal("2025-11-25", Assert.Single(get.Headers.GetValues("MCP-Protocol-Version")));
        }
        else
        {
            Assert.DoesNotContain(server.Handler.Requests, request => request.Method == HttpMethod.Get);
        }
    }

    [Theory]
    [InlineData("resources/subscribe")]
    [InlineData("logging/setLevel")]
    public async Task A_subscription_or_a_log_level_opens_the_standalone_stream_of_a_quiet_server(string method)
    {
        var server = new InitializingServer("""{"resources":{}}""");
        await using var upstream = await StreamableHttpUpstream.ConnectAsync(
            new Uri("http://127.0.0.1:9/mcp"), new HttpClient(server.Handler), NullLoggerFactory.Instance, knownSessionId: null, TestContext.Current.CancellationToken);
        await InitializeAsync(upstream, "{}");
        Assert.False(upstream.StandaloneStreamOpened);

        await upstream.SendAsync(new JsonRpcRequest { Id = new RequestId(2), Method = method, Params = new JsonObject { ["uri"] = "test://a", ["level"] = "info" } }, TestContext.Current.CancellationToken);

        Assert.True(upstream.StandaloneStreamOpened);
        await server.Get.Task.WaitAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_joined_session_opens_the_standalone_stream_at_once_with_the_revision_it_was_stored_with()
    {
        var server = new InitializingServer("""{}""");
        await using var upstream = await StreamableHttpUpstream.ConnectAsync(
            new Uri("http://127.0.0.1:9/mcp"), new HttpClient(server.Handler), NullLoggerFactory.Instance, knownSessionId: "s-1", TestContext.Current.CancellationToken);
        Assert.False(upstream.StandaloneStreamOpened, "joined only to be ended, a session opens no stream");

        upstream.Joined("2025-06-18");

        Assert.True(upstream.StandaloneStreamOpened);
        var get = await server.Get.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal("s-1", Assert.Single(get.Headers.GetValues("Mcp-Session-Id")));
        Assert.Equal("2025-06-18", Assert.Single(get.Headers.GetValues("MCP-Protocol-Version")));
    }

    private static async Task InitializeAsync(StreamableHttpUpstream upstream, string clientCapabilities)
    {
        var cancel = TestContext.Current.CancellationToken;
        await upstream.SendAsync(new JsonRpcRequest
        {
            Id = new RequestId(1),
            Method = "initialize",
            Params = new JsonObject
            {
                ["protocolVersion"] = "2025-11-25",
                ["capabilities"] = JsonNode.Parse(clientCapabilities),
                ["clientInfo"] = new JsonObject { ["name"] = "test", ["version"] = "1" },
            },
        }, cancel);
        Assert.IsType<JsonRpcResponse>(await upstream.Messages.ReadAsync(cancel));
        await upstream.SendAsync(new JsonRpcNotification { Method = "notifications/initialized" }, cancel);
    }

    /// <summary>Answers initialize (with the given capabilities and a session id), accepts the rest, and refuses the GET (405) once seen.</summary>
    private sealed class InitializingServer
    {
        public InitializingServer(string capabilities)
        {
            Handler = new FakeHttpHandler(request =>
            {
                if (request.Method == HttpMethod.Get)
                {
                    Get.TrySetResult(request);
                    return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed);
                }

                if (request.Method == HttpMethod.Delete)
                {
                    return new HttpResponseMessage(HttpStatusCode.OK);
                }

                var body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
                if (body.Contains("\"initialize\"", StringComparison.Ordinal))
                {
                    var answer = FakeHttpHandler.Json(HttpStatusCode.OK, """{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":""" + capabilities + ""","serverInfo":{"name":"s","version":"1"}}}""");
                    answer.Headers.Add("Mcp-Session-Id", "s-1");
                    return answer;
                }

                return body.Contains("\"id\"", StringComparison.Ordinal)
                    ? FakeHttpHandler.Json(HttpStatusCode.OK, """{"jsonrpc":"2.0","id":2,"result":{}}""")
                    : new HttpResponseMessage(HttpStatusCode.Accepted);
            });
        }

        public FakeHttpHandler Handler { get; }

        public TaskCompletionSource<HttpRequestMessage> Get { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
