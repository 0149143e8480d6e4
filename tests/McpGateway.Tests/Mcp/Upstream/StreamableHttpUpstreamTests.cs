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
}
