using System.Net;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

[Collection(nameof(McpStackCollection))]
public sealed class StreamableHttpGuardTests(McpStack stack)
{
    private const string ToolsList = """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""";

    [Fact]
    public async Task Each_bad_request_gets_its_own_clear_refusal_and_the_session_beside_it_keeps_working()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var alice = gateway.CreateBrowser();
        await alice.LoginAsync("alice-http");
        using var bob = gateway.CreateBrowser();
        await bob.LoginAsync("bob-http");
        using var anonymous = gateway.CreateBrowser();
        using var session = new RawMcpHttp(alice);
        var aliceSession = await session.InitializeAsync();

        using (var raw = new RawMcpHttp(anonymous))
        using (var response = await raw.PostAsync(ToolsList))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthenticated", await response.ErrorCodeAsync());
        }

        using (var response = await session.PostAsync(ToolsList, adjust: request => request.Headers.Add("Origin", "https://evil.example")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("forbidden", await response.ErrorCodeAsync());
        }

        using (var response = await session.PostAsync(ToolsList, adjust: request => request.Headers.Add("Origin", alice.Gateway.GetLeftPart(UriPartial.Authority))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await session.PostAsync(ToolsList, contentType: "text/plain"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Equal(-32600, await RawMcpHttp.ErrorCodeAsync(response));
        }

        using (var response = await session.PostAsync(ToolsList, accept: "application/json"))
        {
            Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        }

        using (var response = await session.PostAsync("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await RawMcpHttp.MessageAsync(response)).GetProperty("error");
            Assert.Equal(-32600, error.GetProperty("code").GetInt32());
            Assert.Contains("batches", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var response = await session.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":""" + "\"" + new string('x', 70 * 1024) + "\"}}}"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("65536", (await RawMcpHttp.MessageAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var response = await session.PostAsync("""{"jsonrpc":"2.0","id":4,"method":"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(-32700, await RawMcpHttp.ErrorCodeAsync(response));
        }

        using (var response = await session.PostAsync("""{"jsonrpc":"1.0","id":5,"method":"ping"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(-32600, await RawMcpHttp.ErrorCodeAsync(response));
        }

        using (var response = await session.PostAsync(ToolsList, adjust: request => request.Headers.Remove("Mcp-Session-Id")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(7, (await RawMcpHttp.MessageAsync(response)).GetProperty("id").GetInt32());
        }

        using (var response = await session.PostAsync(ToolsList, adjust: request =>
               {
                   request.Headers.Remove("MCP-Protocol-Version");
                   request.Headers.Add("MCP-Protocol-Version", "2024-11-05");
               }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("2025-11-25", (await RawMcpHttp.MessageAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var response = await session.PostAsync(ToolsList, adjust: request => request.Headers.Remove("MCP-Protocol-Version")))
        {
            // No header: taken as 2025-03-26, which is spoken.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var unknown = await NotFoundBodyAsync(alice, "not-a-session-the-gateway-issued");
        var foreign = await NotFoundBodyAsync(bob, aliceSession);
        Assert.Equal(unknown, foreign);

        using (var response = await session.PostAsync(ToolsList))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var tools = (await RawMcpHttp.MessageAsync(response)).GetProperty("result").GetProperty("tools");
            Assert.Contains(tools.EnumerateArray(), tool => tool.GetProperty("name").GetString() == "echo");
        }

        Assert.DoesNotContain(aliceSession, gateway.Logs.Text, StringComparison.Ordinal);
    }

    /// <summary>A session id that is not the caller's: 404, and a body that says nothing of whether it exists.</summary>
    private static async Task<string> NotFoundBodyAsync(Browser browser, string sessionId)
    {
        using var raw = new RawMcpHttp(browser) { SessionId = sessionId };
        using var response = await raw.PostAsync(ToolsList);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(-32006, (await RawMcpHttp.MessageAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.DoesNotContain(sessionId, body, StringComparison.Ordinal);
        return body;
    }
}
