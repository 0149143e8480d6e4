using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.IntegrationTests.Mcp.StreamableHttp;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// A routed WebSocket session (<c>default</c> and <c>two</c> behind the connector router) that outlives its socket: each
/// connector's upstream session is joined again on resume, on the same replica and on another, as the servers' fronts
/// show (the fingerprint of the <c>Mcp-Session-Id</c> each request carried); a connector whose server forgot its session
/// gets a new one, which the binding then holds; a normal close ends them all.
/// </summary>
[Collection(nameof(MultiServerStackCollection))]
public sealed class ConnectorResumeTests(MultiServerStack stack)
{
    private const string HandleMeta = "io.mcpgateway/resume";
    private const string ResumedMeta = "io.mcpgateway/resumed";
    private const string PendingMeta = "io.mcpgateway/pending";

    [Fact]
    public async Task A_lost_routed_socket_resumes_every_connectors_upstream_session_on_the_same_replica_and_on_another_and_a_normal_close_ends_them()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("ruth");
        await ClearAuditsAsync();

        var original = await RawSocket.OpenAsync(browser);
        var (handle, resumed) = Meta(await original.InitializeAsync());
        Assert.False(resumed);
        Assert.Equal("Echo: one", Text(await original.RequestAsync(1, "tools/call", Echo("echo", "one"))));
        Assert.Equal("Echo: uno", Text(await original.RequestAsync(2, "tools/call", Echo("two__echo", "uno"))));
        var (defaultSession, twoSession) = (await CalledSessionAsync(stack.Mcp.Front), await CalledSessionAsync(stack.SecondFront));
        Assert.NotEqual(defaultSession, twoSession);

        // Lost without a close frame: every connector's session stays open.
        original.Socket.Abort();
        original.Socket.Dispose();
        await WaitForLogAsync(first, "stays resumable", 1);

        await ClearAuditsAsync();
        await using (var again = await RawSocket.OpenAsync(browser, query: "?resume=" + Uri.EscapeDataString(handle)))
        {
            var answer = await again.InitializeAsync();
            Assert.Equal((handle, true), Meta(answer));
            // No call was in flight when the socket was lost: none is pending.
            Assert.Equal(0, answer.GetProperty("result").GetProperty("_meta").GetProperty(PendingMeta).GetArrayLength());
            Assert.Equal("Echo: two", Text(await again.RequestAsync(3, "tools/call", Echo("echo", "two"))));
            Assert.Equal("Echo: dos", Text(await again.RequestAsync(4, "tools/call", Echo("two__echo", "dos"))));
            again.Socket.Abort();
        }

        await AssertJoinedAsync(defaultSession, twoSession);
        await WaitForLogAsync(first, "stays resumable", 2);

        // Another replica, as after the first one died.
        await ClearAuditsAsync();
        using var viaSecond = second.CreateBrowser();
        viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
        var elsewhere = await RawSocket.OpenAsync(viaSecond, origin: replicas.PublicOrigin, query: "?resume=" + Uri.EscapeDataString(handle));
        Assert.Equal((handle, true), Meta(await elsewhere.InitializeAsync()));
        Assert.Equal("Echo: three", Text(await elsewhere.RequestAsync(5, "tools/call", Echo("echo", "three"))));
        Assert.Equal("Echo: tres", Text(await elsewhere.RequestAsync(6, "tools/call", Echo("two__echo", "tres"))));
        await AssertJoinedAsync(defaultSession, twoSession);
        Assert.Contains("resumed its MCP session", second.Logs.Text, StringComparison.Ordinal);

        // The user's normal close ends both upstream sessions and forgets the handle.
        await elsewhere.DisposeAsync();
        await GatewayAssertions.EventuallyAsync(async () => await DeletedAsync(stack.Mcp.Front, defaultSession) && await DeletedAsync(stack.SecondFront, twoSession),
            TimeSpan.FromSeconds(10), "both connectors' upstream sessions were deleted on the normal close");
        await using var afterClose = await RawSocket.OpenAsync(browser, query: "?resume=" + Uri.EscapeDataString(handle));
        var (fresh, freshResumed) = Meta(await afterClose.InitializeAsync());
        Assert.False(freshResumed);
        Assert.NotEqual(handle, fresh);
        Assert.Equal("Echo: four", Text(await afterClose.RequestAsync(7, "tools/call", Echo("two__echo", "four"))));

        var secrets = (await GatewaySecrets.CollectAsync(first, browser)).Concat([handle, fresh]).ToList();
        GatewaySecrets.AssertNotInLogs(first, secrets);
        GatewaySecrets.AssertNotInLogs(second, secrets);
    }

    [Fact]
    public async Task A_connector_whose_server_forgot_the_session_gets_a_new_one_on_resume_and_the_binding_holds_it_for_the_next_resume()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("vera");
        await ClearAuditsAsync();

        var original = await RawSocket.OpenAsync(browser);
        var (handle, _) = Meta(await original.InitializeAsync());
        Assert.Equal("Echo: one", Text(await original.RequestAsync(1, "tools/call", Echo("echo", "one"))));
        Assert.Equal("Echo: uno", Text(await original.RequestAsync(2, "tools/call", Echo("two__echo", "uno"))));
        var (defaultSession, forgotten) = (await CalledSessionAsync(stack.Mcp.Front), await CalledSessionAsync(stack.SecondFront));
        original.Socket.Abort();
        original.Socket.Dispose();
        await WaitForLogAsync(first, "stays resumable", 1);

        // two's server restarts: it knows no session any more (server-everything answers 400, the gateway's guard makes it 404).
        await stack.SecondEverything.StopAsync();
        await stack.SecondEverything.StartAgainAsync();

        await ClearAuditsAsync();
        string renewed;
        await using (var again = await RawSocket.OpenAsync(browser, query: "?resume=" + Uri.EscapeDataString(handle)))
        {
            Assert.Equal((handle, true), Meta(await again.InitializeAsync()));
            Assert.Equal("Echo: dos", Text(await again.RequestAsync(3, "tools/call", Echo("two__echo", "dos"))));
            Assert.Equal("Echo: two", Text(await again.RequestAsync(4, "tools/call", Echo("echo", "two"))));

            var twoAudit = await stack.SecondFront.AuditAsync();
            // The gateway initialized a new session with the browser's stored initialize, and the call ran in it.
            var initialize = Assert.Single(twoAudit, entry => Method(entry) == "initialize");
            renewed = initialize.GetProperty("mcpSessionIssued").GetString()!;
            Assert.NotEqual(forgotten, renewed);
            Assert.Equal(renewed, twoAudit.Last(entry => Method(entry) == "tools/call").GetProperty("mcpSession").GetString());
            // default's session was joined as it was.
            Assert.DoesNotContain(await stack.Mcp.Front.AuditAsync(), entry => Method(entry) == "initialize");
            Assert.Equal(defaultSession, await CalledSessionAsync(stack.Mcp.Front));
            again.Socket.Abort();
        }

        // The binding was updated when the new session was opened: the next resume, elsewhere, joins it.
        await WaitForLogAsync(first, "stays resumable", 2);
        await ClearAuditsAsync();
        using var viaSecond = second.CreateBrowser();
        viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
        await using var elsewhere = await RawSocket.OpenAsync(viaSecond, origin: replicas.PublicOrigin, query: "?resume=" + Uri.EscapeDataString(handle));
        Assert.Equal((handle, true), Meta(await elsewhere.InitializeAsync()));
        Assert.Equal("Echo: tres", Text(await elsewhere.RequestAsync(5, "tools/call", Echo("two__echo", "tres"))));
        Assert.Equal("Echo: three", Text(await elsewhere.RequestAsync(6, "tools/call", Echo("echo", "three"))));
        await AssertJoinedAsync(defaultSession, renewed);
        GatewaySecrets.AssertNotInLogs(first, [handle]);
        GatewaySecrets.AssertNotInLogs(second, [handle]);
    }

    [Fact]
    public async Task A_routed_streamable_http_session_continued_on_another_replica_joins_every_connectors_upstream_session()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("hilde");
        await ClearAuditsAsync();

        using var onFirst = new RawMcpHttp(browser);
        var sessionId = await onFirst.InitializeAsync();
        Assert.Equal("Echo: one", Text(await CallAsync(onFirst, 2, "echo", "one")));

        // The router opens `two`'s session lazily, after the binding was first stored: the binding is stored again.
        Assert.Equal("Echo: uno", Text(await CallAsync(onFirst, 3, "two__echo", "uno")));
        var (defaultSession, twoSession) = (await CalledSessionAsync(stack.Mcp.Front), await CalledSessionAsync(stack.SecondFront));

        await ClearAuditsAsync();
        using var onSecond = new RawMcpHttp(browser, second.BaseAddress) { SessionId = sessionId };
        Assert.Equal("Echo: two", Text(await CallAsync(onSecond, 4, "echo", "two")));
        Assert.Equal("Echo: dos", Text(await CallAsync(onSecond, 5, "two__echo", "dos")));
        await AssertJoinedAsync(defaultSession, twoSession);
        Assert.Contains("resumed on this replica", second.Logs.Text, StringComparison.Ordinal);

        using (var deleted = await onSecond.SendAsync(HttpMethod.Delete))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await GatewayAssertions.EventuallyAsync(async () => await DeletedAsync(stack.Mcp.Front, defaultSession) && await DeletedAsync(stack.SecondFront, twoSession),
            TimeSpan.FromSeconds(10), "both connectors' upstream sessions were deleted with the session");
        var secrets = (await GatewaySecrets.CollectAsync(first, browser)).Append(sessionId).ToList();
        GatewaySecrets.AssertNotInLogs(first, secrets);
        GatewaySecrets.AssertNotInLogs(second, secrets);
    }

    private static async Task<JsonElement> CallAsync(RawMcpHttp session, int id, string tool, string message)
    {
        using var answer = await session.PostAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method = "tools/call", @params = Echo(tool, message) }));
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        return await RawMcpHttp.MessageAsync(answer);
    }

    /// <summary>Since the audits were cleared: neither server was initialized again or sent a DELETE, and every call carried its first session.</summary>
    private async Task AssertJoinedAsync(string defaultSession, string twoSession)
    {
        foreach (var (front, session) in new[] { (stack.Mcp.Front, defaultSession), (stack.SecondFront, twoSession) })
        {
            var audit = await front.AuditAsync();
            Assert.DoesNotContain(audit, entry => Method(entry) == "initialize");
            Assert.DoesNotContain(audit, entry => entry.GetProperty("method").GetString() == "DELETE");
            var calls = audit.Where(entry => Method(entry) == "tools/call").ToList();
            Assert.NotEmpty(calls);
            Assert.All(calls, entry => Assert.Equal(session, entry.GetProperty("mcpSession").GetString()));
        }
    }

    /// <summary>The fingerprint of the session the last <c>tools/call</c> at <paramref name="front"/> ran in.</summary>
    private static async Task<string> CalledSessionAsync(NodeServer front)
    {
        var call = (await front.AuditAsync()).Last(entry => Method(entry) == "tools/call");
        Assert.Equal(200, call.GetProperty("status").GetInt32());
        return call.GetProperty("mcpSession").GetString() ?? throw new InvalidOperationException("the call carried no Mcp-Session-Id");
    }

    private static async Task<bool> DeletedAsync(NodeServer front, string session)
        => (await front.AuditAsync()).Any(entry => entry.GetProperty("method").GetString() == "DELETE" && entry.GetProperty("mcpSession").GetString() == session);

    private async Task ClearAuditsAsync()
    {
        await stack.Mcp.Front.ClearAuditAsync();
        await stack.SecondFront.ClearAuditAsync();
    }

    private static Task WaitForLogAsync(GatewayHost gateway, string part, int times)
        => GatewayAssertions.EventuallyAsync(() => Task.FromResult(CountOf(gateway.Logs.Text, part) >= times), TimeSpan.FromSeconds(10), $"the replica logged '{part}' {times} time(s)");

    private static object Echo(string tool, string message) => new { name = tool, arguments = new { message } };

    private static (string Handle, bool Resumed) Meta(JsonElement initialized)
    {
        var meta = initialized.GetProperty("result").GetProperty("_meta");
        return (meta.GetProperty(HandleMeta).GetString()!, meta.GetProperty(ResumedMeta).GetBoolean());
    }

    private static string? Method(JsonElement entry) => entry.GetProperty("mcpMethod").ValueKind == JsonValueKind.String ? entry.GetProperty("mcpMethod").GetString() : null;

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static string? Text(JsonElement response)
        => response.TryGetProperty("result", out var result)
            ? result.GetProperty("content")[0].GetProperty("text").GetString()
            : "error: " + response.GetRawText();
}
