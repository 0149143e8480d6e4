using System.Net;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

[Collection(nameof(McpStackCollection))]
public sealed class StreamableHttpSessionTests(McpStack stack)
{
    [Fact]
    public async Task Initialize_issues_a_session_answered_as_json_or_event_stream_per_accept_with_one_standalone_stream_until_delete_ends_it()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("ines");
        using var raw = new RawMcpHttp(browser);
        var sessionId = await raw.InitializeAsync();
        Assert.True(sessionId.Length >= 43, "the session id carries 256 random bits");
        Assert.All(sessionId, c => Assert.InRange(c, '!', '~'));

        using (var json = await raw.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"calculator","arguments":{"expression":"6*7"}}}""",
                   accept: "application/json, text/event-stream;q=0.5"))
        {
            Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
            Assert.Equal("42", (await RawMcpHttp.MessageAsync(json)).GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        }

        using (var stream = await raw.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"sse"}}}"""))
        {
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
            Assert.Equal(3, (await RawMcpHttp.MessageAsync(stream)).GetProperty("id").GetInt32());
        }

        using (var response = await raw.PostAsync("""{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        using var standalone = await raw.SendAsync(HttpMethod.Get, request => request.Headers.Add("Accept", "text/event-stream"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, standalone.StatusCode);
        Assert.Equal("text/event-stream", standalone.Content.Headers.ContentType?.MediaType);
        using (var second = await raw.SendAsync(HttpMethod.Get, request => request.Headers.Add("Accept", "text/event-stream"), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        }

        // A context stored over REST is pushed to the session's standalone stream.
        var events = new StreamReader(await standalone.Content.ReadAsStreamAsync());
        using (var stored = await browser.PostAsync("/api/conversations/trip/contexts", System.Net.Http.Json.JsonContent.Create(new { content = "flight at 9" })))
        {
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        }

        // Other server messages (e.g. the upstream's tools/list_changed, kept until the stream opened) may come first.
        string? line;
        do
        {
            line = await events.ReadLineAsync(TestContext.Current.CancellationToken);
        }
        while (line is not null && !(line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("notifications/context/updated", StringComparison.Ordinal)));
        Assert.NotNull(line);
        Assert.Contains("flight at 9", line, StringComparison.Ordinal);

        using (var deleted = await raw.SendAsync(HttpMethod.Delete))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // The standalone stream ends with the session.
        while (await events.ReadLineAsync(TestContext.Current.CancellationToken) is not null)
        {
        }

        using (var after = await raw.PostAsync("""{"jsonrpc":"2.0","id":4,"method":"tools/list"}"""))
        {
            Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        }
    }

    [Fact]
    public async Task A_user_at_the_session_limit_loses_the_session_idle_the_longest_and_keeps_the_others()
    {
        var settings = stack.Settings();
        await using var gateway = GatewayHost.Start(settings with
        {
            Extra = new Dictionary<string, string?>(settings.Extra) { ["Mcp:MaxHttpSessionsPerUser"] = "2" },
        });
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("karl");
        using var oldest = new RawMcpHttp(browser);
        using var middle = new RawMcpHttp(browser);
        using var newest = new RawMcpHttp(browser);
        await oldest.InitializeAsync();
        await middle.InitializeAsync();

        await newest.InitializeAsync();

        const string Ping = """{"jsonrpc":"2.0","id":9,"method":"ping"}""";
        using (var evicted = await oldest.PostAsync(Ping))
        {
            Assert.Equal(HttpStatusCode.NotFound, evicted.StatusCode);
        }

        using (var kept = await middle.PostAsync(Ping))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        using (var opened = await newest.PostAsync(Ping))
        {
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        }
    }

    [Fact]
    public async Task A_plain_get_without_upgrade_or_event_stream_accept_is_still_the_websockets_426()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("jonas");

        using var plain = await browser.GetAsync("/mcp");
        Assert.Equal(HttpStatusCode.UpgradeRequired, plain.StatusCode);

        using var raw = new RawMcpHttp(browser);
        using var noSession = await raw.SendAsync(HttpMethod.Get, request => request.Headers.Add("Accept", "text/event-stream"));
        Assert.Equal(HttpStatusCode.BadRequest, noSession.StatusCode);
    }
}
