using System.Net;
using System.Net.Http.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary><c>GET /api/tools</c> and <c>POST /api/tools/{name}/call</c> with several connectors: listed and routed by prefix like the bridge.</summary>
[Collection(nameof(MultiServerStackCollection))]
public sealed class ConnectorRestTests(MultiServerStack stack)
{
    [Fact]
    public async Task The_rest_list_merges_every_server_names_the_dead_one_and_calls_route_by_prefix()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("greta");
        await stack.SecondFront.ClearAuditAsync();

        using var listed = await browser.GetAsync("/api/tools");
        var body = await listed.JsonAsync();
        var names = body.GetProperty("tools").EnumerateArray().Select(tool => tool.GetProperty("name").GetString()).ToList();
        var upstream = body.GetProperty("upstream");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(["calculator", "file_read", "web_search"], names.Take(3));
        Assert.Contains("echo", names);
        Assert.Contains("two__echo", names);
        Assert.Equal("partial", upstream.GetProperty("status").GetString());
        Assert.Equal("dead", Assert.Single(upstream.GetProperty("connectors").EnumerateArray()).GetProperty("name").GetString());

        using var echoed = await browser.PostAsync("/api/tools/two__echo/call", JsonContent.Create(new { arguments = new { message = "rest to two" } }));
        Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
        Assert.Equal("Echo: rest to two", (await echoed.JsonAsync()).GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Contains(await stack.SecondFront.AuditAsync(), entry => entry.GetProperty("mcpMethod").ValueKind == System.Text.Json.JsonValueKind.String && entry.GetProperty("mcpMethod").GetString() == "tools/call");

        using var dead = await browser.PostAsync("/api/tools/dead__echo/call", JsonContent.Create(new { arguments = new { } }));
        Assert.Equal(HttpStatusCode.BadGateway, dead.StatusCode);
    }
}
