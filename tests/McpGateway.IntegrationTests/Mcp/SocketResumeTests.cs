using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>
/// WebSocket MCP sessions (both dialects) that outlive their socket: the handle of the initialize answer, <c>?resume=</c> on the same or
/// another replica joining the same upstream session (the checking front's audit shows no new initialize), and
/// the refusals and fallbacks around it.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class SocketResumeTests(McpStack stack)
{
    private const string HandleMeta = "io.mcpgateway/resume";
    private const string ResumedMeta = "io.mcpgateway/resumed";

    [Fact]
    public async Task A_lost_socket_resumes_its_upstream_session_on_the_same_replica_and_on_another_without_initializing_it_again()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("rosa");

        await stack.Front.ClearAuditAsync();
        var original = await RawSocket.OpenAsync(browser);
        var (handle, resumed) = Meta(await original.InitializeAsync());
        Assert.False(resumed);
        Assert.Equal("Echo: one", Text(await original.RequestAsync(1, "tools/call", Echo("one"))));

        // The connection is lost (no close frame): the session stays resumable and its upstream session open.
        original.Socket.Abort();
        original.Socket.Dispose();
        await GatewayAssertions.EventuallyAsync(() => Task.FromResult(first.Logs.Text.Contains("stays resumable", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the first replica saw the socket lost");

        // Same replica: the initialize is answered from the stored result, the upstream is not initialized again.
        await stack.Front.ClearAuditAsync();
        await using (var again = await RawSocket.OpenAsync(browser, query: "?resume=" + Uri.EscapeDataString(handle)))
        {
            Assert.Equal((handle, true), Meta(await again.InitializeAsync()));
            Assert.Equal("Echo: two", Text(await again.RequestAsync(2, "tools/call", Echo("two"))));
            again.Socket.Abort();
        }

        // Another replica, as behind a load balancer after the first one died.
        await GatewayAssertions.EventuallyAsync(() => Task.FromResult(CountOf(first.Logs.Text, "stays resumable") >= 2),
            TimeSpan.FromSeconds(10), "the first replica saw the second socket lost");
        using var viaSecond = second.CreateBrowser();
        viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));

        var elsewhere = await RawSocket.OpenAsync(viaSecond, origin: replicas.PublicOrigin, query: "?resume=" + Uri.EscapeDataString(handle));
        Assert.Equal((handle, true), Meta(await elsewhere.InitializeAsync()));
        Assert.Equal("Echo: three", Text(await elsewhere.RequestAsync(3, "tools/call", Echo("three"))));
        var audit = await stack.Front.AuditAsync();
        Assert.DoesNotContain(audit, entry => entry.GetProperty("mcpMethod").GetString() == "initialize");
        Assert.DoesNotContain(audit, entry => entry.GetProperty("method").GetString() == "DELETE");
        // server-everything answers a call only in a session it initialized: with no initialize since, this is the first session.
        Assert.All(audit.Where(entry => entry.GetProperty("mcpMethod").GetString() == "tools/call"),
            entry => Assert.True(entry.GetProperty("mcpSessionId").GetBoolean()));
        Assert.Equal(2, audit.Count(entry => entry.GetProperty("mcpMethod").GetString() == "tools/call"));
        Assert.Contains("resumed its MCP session", second.Logs.Text, StringComparison.Ordinal);

        // A normal close by the user ends it: the upstream session is deleted, the handle is forgotten.
        await elsewhere.DisposeAsync();
        await GatewayAssertions.EventuallyAsync(async () => (await stack.Front.AuditAsync()).Any(entry =>
                entry.GetProperty("method").GetString() == "DELETE" && entry.GetProperty("mcpSessionId").GetBoolean()),
            TimeSpan.FromSeconds(10), "the upstream session was deleted on the normal close");
        await using var afterClose = await RawSocket.OpenAsync(browser, query: "?resume=" + Uri.EscapeDataString(handle));
        var (fresh, freshResumed) = Meta(await afterClose.InitializeAsync());
        Assert.False(freshResumed);
        Assert.NotEqual(handle, fresh);
        Assert.Equal("Echo: four", Text(await afterClose.RequestAsync(4, "tools/call", Echo("four"))));
        Assert.DoesNotContain(handle, first.Logs.Text + second.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_drained_on_shutdown_resumes_on_another_replica_and_its_upstream_session_is_not_deleted_by_the_drain()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (stopped, other) = replicas;
        using var browser = stopped.CreateBrowser();
        await browser.LoginAsync("dora");
        await using var socket = await RawSocket.OpenAsync(browser);
        var (handle, _) = Meta(await socket.InitializeAsync());
        Assert.Equal("Echo: before", Text(await socket.RequestAsync(1, "tools/call", Echo("before"))));

        await stack.Front.ClearAuditAsync();
        var stopping = Task.Run(() => stopped.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication());
        var (status, _) = await socket.WaitForCloseAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        await stopping;

        using var viaOther = other.CreateBrowser();
        viaOther.Cookies.Add(browser.Cookies.GetCookies(stopped.BaseAddress));
        await using var resumed = await RawSocket.OpenAsync(viaOther, origin: replicas.PublicOrigin, query: "?resume=" + Uri.EscapeDataString(handle));
        Assert.Equal((handle, true), Meta(await resumed.InitializeAsync()));
        Assert.Equal("Echo: after", Text(await resumed.RequestAsync(2, "tools/call", Echo("after"))));
        var audit = await stack.Front.AuditAsync();
        Assert.DoesNotContain(audit, entry => entry.GetProperty("method").GetString() == "DELETE");
        Assert.DoesNotContain(audit, entry => entry.GetProperty("mcpMethod").GetString() == "initialize");
    }

    [Fact]
    public async Task Another_users_handle_is_refused_with_a_close_that_says_why_and_an_unknown_one_starts_a_new_session()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var owner = gateway.CreateBrowser();
        await owner.LoginAsync("nils");
        using var other = gateway.CreateBrowser();
        await other.LoginAsync("ida");
        await using var owned = await RawSocket.OpenAsync(owner);
        var (handle, _) = Meta(await owned.InitializeAsync());

        await using var foreign = await RawSocket.OpenAsync(other, query: "?resume=" + Uri.EscapeDataString(handle));
        var (status, reason) = await foreign.WaitForCloseAsync();
        Assert.Equal((WebSocketCloseStatus)4403, status);
        Assert.Contains("another sign-in session", reason, StringComparison.Ordinal);

        await using var unknown = await RawSocket.OpenAsync(owner, query: "?resume=not-a-handle-of-ours");
        var (fresh, resumed) = Meta(await unknown.InitializeAsync());
        Assert.False(resumed);
        Assert.NotEqual(handle, fresh);
        Assert.NotEqual("not-a-handle-of-ours", fresh);
        Assert.Equal("Echo: new", Text(await unknown.RequestAsync(1, "tools/call", Echo("new"))));

        // The owner's session was not disturbed by the refused attempt.
        Assert.Equal("Echo: still", Text(await owned.RequestAsync(2, "tools/call", Echo("still"))));
        Assert.Contains("belongs to another sign-in session", gateway.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mcp_v1_socket_resumes_its_upstream_session_on_another_replica_with_the_seeds_envelopes_and_a_normal_close_ends_it()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("olga");
        using var other = first.CreateBrowser();
        await other.LoginAsync("pia");

        await stack.Front.ClearAuditAsync();
        var original = await RawSocket.OpenAsync(browser, subProtocol: "mcp-v1");
        var initialized = await SeedInitializeAsync(original, "i1");
        Assert.Equal("response", initialized.GetProperty("type").GetString());
        var (handle, resumed) = Meta(initialized);
        Assert.False(resumed);
        Assert.Equal("Echo: one", SeedText(await SeedToolCallAsync(original, "t1", "one")));

        original.Socket.Abort();
        original.Socket.Dispose();
        await GatewayAssertions.EventuallyAsync(() => Task.FromResult(first.Logs.Text.Contains("stays resumable", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the first replica saw the socket lost");

        // Someone else's handle is refused on mcp-v1 too, with the same close code.
        await using (var foreign = await RawSocket.OpenAsync(other, subProtocol: "mcp-v1", query: "?resume=" + Uri.EscapeDataString(handle)))
        {
            var (status, reason) = await foreign.WaitForCloseAsync();
            Assert.Equal((WebSocketCloseStatus)4403, status);
            Assert.Contains("another sign-in session", reason, StringComparison.Ordinal);
        }

        await stack.Front.ClearAuditAsync();
        using var viaSecond = second.CreateBrowser();
        viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
        var elsewhere = await RawSocket.OpenAsync(viaSecond, subProtocol: "mcp-v1", origin: replicas.PublicOrigin, query: "?resume=" + Uri.EscapeDataString(handle));
        var again = await SeedInitializeAsync(elsewhere, "i2");
        Assert.Equal("i2", again.GetProperty("id").GetString());
        Assert.Equal((handle, true), Meta(again));
        Assert.Equal(0, again.GetProperty("result").GetProperty("_meta").GetProperty("io.mcpgateway/pending").GetArrayLength());
        Assert.Equal("Echo: two", SeedText(await SeedToolCallAsync(elsewhere, "t2", "two")));
        var audit = await stack.Front.AuditAsync();
        Assert.DoesNotContain(audit, entry => entry.GetProperty("mcpMethod").GetString() == "initialize");
        Assert.DoesNotContain(audit, entry => entry.GetProperty("method").GetString() == "DELETE");
        Assert.Single(audit, entry => entry.GetProperty("mcpMethod").GetString() == "tools/call" && entry.GetProperty("mcpSessionId").GetBoolean());

        // The normal close (1000) ends the upstream session and forgets the handle.
        await elsewhere.DisposeAsync();
        await GatewayAssertions.EventuallyAsync(async () => (await stack.Front.AuditAsync()).Any(entry =>
                entry.GetProperty("method").GetString() == "DELETE" && entry.GetProperty("mcpSessionId").GetBoolean()),
            TimeSpan.FromSeconds(10), "the upstream session was deleted on the normal close");
        await using var afterClose = await RawSocket.OpenAsync(browser, subProtocol: "mcp-v1", query: "?resume=" + Uri.EscapeDataString(handle));
        var (fresh, freshResumed) = Meta(await SeedInitializeAsync(afterClose, "i3"));
        Assert.False(freshResumed);
        Assert.NotEqual(handle, fresh);
        Assert.Equal("Echo: three", SeedText(await SeedToolCallAsync(afterClose, "t3", "three")));

        var secrets = (await GatewaySecrets.CollectAsync(first, browser)).Concat([handle, fresh]).ToList();
        GatewaySecrets.AssertNotInLogs(first, secrets);
        GatewaySecrets.AssertNotInLogs(second, secrets);
    }

    /// <summary>The handshake in the seed's envelope: a request envelope, its response envelope, then the initialized notification envelope.</summary>
    private static async Task<JsonElement> SeedInitializeAsync(RawSocket socket, string id)
    {
        await socket.SendAsync(JsonSerializer.Serialize(new
        {
            id,
            type = "request",
            method = "initialize",
            @params = new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "seed-test", version = "1.0" } },
        }));
        var answer = await SeedAnswerAsync(socket, id);
        await socket.SendAsync("""{"type":"notification","method":"notifications/initialized","params":{}}""");
        return answer;
    }

    private static async Task<JsonElement> SeedToolCallAsync(RawSocket socket, string id, string message)
    {
        await socket.SendAsync(JsonSerializer.Serialize(new { id, type = "request", method = "tool_call", @params = new { tool_name = "echo", parameters = new { message } } }));
        return await SeedAnswerAsync(socket, id);
    }

    private static Task<JsonElement> SeedAnswerAsync(RawSocket socket, string id)
        => socket.ReceiveAsync(message => message.TryGetProperty("type", out var type) && type.GetString() == "response"
                                          && message.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.String && answered.GetString() == id);

    private static string? SeedText(JsonElement response)
        => response.TryGetProperty("result", out var result)
            ? result.GetProperty("content")[0].GetProperty("text").GetString()
            : "error: " + response.GetRawText();

    private static object Echo(string message) => new { name = "echo", arguments = new { message } };

    private static (string Handle, bool Resumed) Meta(JsonElement initialized)
    {
        var meta = initialized.GetProperty("result").GetProperty("_meta");
        return (meta.GetProperty(HandleMeta).GetString()!, meta.GetProperty(ResumedMeta).GetBoolean());
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static string? Text(JsonElement response)
        => response.TryGetProperty("result", out var result)
            ? result.GetProperty("content")[0].GetProperty("text").GetString()
            : "error: " + response.GetRawText();
}
