using System.Net;
using System.Net.Http.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class ToolRestTests(McpStack stack)
{
    [Fact]
    public async Task The_rest_endpoints_list_the_merged_tools_and_call_gateway_and_upstream_tools()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("rita");

        using var listed = await browser.GetAsync("/api/tools");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var body = await listed.JsonAsync();
        var names = body.GetProperty("tools").EnumerateArray().Select(tool => tool.GetProperty("name").GetString()).ToList();
        Assert.Equal(["calculator", "file_read", "web_search"], names.Take(3));
        Assert.Contains("echo", names);
        Assert.Equal("ok", body.GetProperty("upstream").GetProperty("status").GetString());

        using var calculated = await browser.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments = new { expression = "max(3, 9) / 3" } }));
        Assert.Equal(HttpStatusCode.OK, calculated.StatusCode);
        Assert.Equal("3", (await calculated.JsonAsync()).GetProperty("content")[0].GetProperty("text").GetString());

        using var echoed = await browser.PostAsync("/api/tools/echo/call", JsonContent.Create(new { arguments = new { message = "over rest" } }));
        Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
        Assert.Equal("Echo: over rest", (await echoed.JsonAsync()).GetProperty("content")[0].GetProperty("text").GetString());

        using var refused = await browser.PostAsync("/api/tools/file_read/call", JsonContent.Create(new { arguments = new { path = "../../etc/passwd" } }));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.True((await refused.JsonAsync()).GetProperty("isError").GetBoolean());

        using var noCsrf = await browser.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments = new { expression = "1" } }), csrfHeader: false);
        Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);

        using var malformed = await browser.PostAsync("/api/tools/calculator/call", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("invalid_request", await malformed.ErrorCodeAsync());

        using var anonymous = gateway.CreateBrowser();
        using var unauthenticated = await anonymous.GetAsync("/api/tools");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task With_the_upstream_down_the_list_still_has_the_gateway_tools_and_an_upstream_call_gets_502()
    {
        await using var gateway = GatewayHost.Start(stack.Settings(mcpUrl: new Uri($"http://127.0.0.1:{FreePort.Next()}/mcp")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("rita");

        using var listed = await browser.GetAsync("/api/tools");
        var body = await listed.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(3, body.GetProperty("tools").GetArrayLength());
        Assert.Equal("unavailable", body.GetProperty("upstream").GetProperty("status").GetString());

        using var echoed = await browser.PostAsync("/api/tools/echo/call", JsonContent.Create(new { arguments = new { message = "x" } }));
        Assert.Equal(HttpStatusCode.BadGateway, echoed.StatusCode);
        Assert.Equal("upstream_unavailable", await echoed.ErrorCodeAsync());
    }
}
