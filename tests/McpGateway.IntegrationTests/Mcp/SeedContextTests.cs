using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>
/// Contexts in the seed's exact shape (an object <c>content</c>, a millisecond <c>timestamp</c>) over
/// <c>mcp-v1</c>, read back over REST, pushed to the user's other sockets in both dialects, and nobody else's.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class SeedContextTests(McpStack stack)
{
    private const string SeedContent = """{"message":"I prefer trains, \"Gleis 7\" if possible ✓","timestamp":1733140000000,"user_context":{"locale":"de-CH","preferences":{"seat":"window","budget":120.50},"history":[1,"two",true,null,[]]}}""";
    private const string SeedMetadata = """{"timestamp":1733140000000,"model":"gpt-4","tokens_used":42}""";

    [Fact]
    public async Task A_seed_context_stored_over_mcp_v1_is_listed_over_rest_unchanged_and_pushed_to_the_users_sockets_only()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("celia");
        using var stranger = gateway.CreateBrowser();
        await stranger.LoginAsync("dorian");

        await using var storing = await RawSocket.OpenAsync(browser, "mcp-v1");
        await using var otherTabV1 = await RawSocket.OpenAsync(browser, "mcp-v1");
        await using var otherTabMcp = await RawSocket.OpenAsync(browser, "mcp");
        await using var strangerV1 = await RawSocket.OpenAsync(stranger, "mcp-v1");
        await using var strangerMcp = await RawSocket.OpenAsync(stranger, "mcp");
        // A local answer on each listener proves its bridge runs, so it is registered for pushes.
        await Exchange(otherTabV1, """{"id":"ready","type":"request","method":"auth","params":{}}""", "ready");
        await Exchange(strangerV1, """{"id":"ready","type":"request","method":"auth","params":{}}""", "ready");
        await otherTabMcp.RequestAsync(1, "context/list", new { conversation_id = "trip-1" });
        await strangerMcp.RequestAsync(1, "context/list", new { conversation_id = "trip-1" });

        // The storing socket hears its own push too, possibly before the answer: keep whatever arrives first.
        await storing.SendAsync($$$"""{"id":"s1","type":"request","method":"context_store","params":{"conversation_id":"trip-1","content":{{{SeedContent}}},"metadata":{{{SeedMetadata}}}}}""");
        JsonElement? answered = null, storingToo = null;
        while (answered is null || storingToo is null)
        {
            var message = await storing.ReceiveAsync();
            if (Method(message) == "context_update")
            {
                storingToo = message;
            }
            else if (message.TryGetProperty("id", out var replyId) && replyId.ValueKind == JsonValueKind.String && replyId.GetString() == "s1")
            {
                answered = message;
            }
        }

        var answer = answered.Value;

        Assert.Equal("response", answer.GetProperty("type").GetString());
        var stored = answer.GetProperty("result").GetProperty("context");
        var id = stored.GetProperty("id").GetString()!;
        AssertSeedContext(stored, id);

        using var listed = await browser.GetAsync("/api/conversations/trip-1/contexts");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        AssertSeedContext(Assert.Single((await listed.JsonAsync()).GetProperty("contexts").EnumerateArray()), id);

        var pushedV1 = await otherTabV1.ReceiveAsync(message => Method(message) == "context_update");
        Assert.Equal("notification", pushedV1.GetProperty("type").GetString());
        Assert.Equal(("stored", id), (pushedV1.GetProperty("params").GetProperty("action").GetString(), pushedV1.GetProperty("params").GetProperty("id").GetString()));
        AssertSeedContext(pushedV1.GetProperty("params").GetProperty("context"), id);

        var pushedMcp = await otherTabMcp.ReceiveAsync(message => Method(message) == "notifications/context/updated");
        Assert.Equal("2.0", pushedMcp.GetProperty("jsonrpc").GetString());
        Assert.Equal(("stored", id), (pushedMcp.GetProperty("params").GetProperty("action").GetString(), pushedMcp.GetProperty("params").GetProperty("id").GetString()));
        AssertSeedContext(pushedMcp.GetProperty("params").GetProperty("context"), id);

        AssertSeedContext(storingToo.Value.GetProperty("params").GetProperty("context"), id);

        // The stranger's sockets hear nothing of it, and the stranger's list of the same conversation is empty.
        await AssertSilentAsync(strangerV1, "context_update");
        await AssertSilentAsync(strangerMcp, "notifications/context/updated");
        using var strangerList = await stranger.GetAsync("/api/conversations/trip-1/contexts");
        Assert.Equal(0, (await strangerList.JsonAsync()).GetProperty("contexts").GetArrayLength());

        // The other way round: an array stored over REST with an ISO 8601 time (a second later) and a member of its own.
        const string Rest = """{"content":[{"leg":1,"from":"Basel"},"Zürich",3.0,false],"metadata":{"timestamp":"2024-12-02T11:46:41Z","model":"gpt-4","tokens_used":7,"source":{"app":"rest"}}}""";
        using var posted = await browser.PostAsync("/api/conversations/trip-1/contexts", new StringContent(Rest, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var listedOverSocket = await Exchange(storing, """{"id":"l1","type":"request","method":"context_list","params":{"conversation_id":"trip-1"}}""", "l1");
        var both = listedOverSocket.GetProperty("result").GetProperty("contexts").EnumerateArray().ToList();
        Assert.Equal(2, both.Count);
        AssertSeedContext(both[0], id);
        Assert.True(JsonElement.DeepEquals(Parse(Rest).GetProperty("content"), both[1].GetProperty("content")), both[1].GetRawText());
        Assert.True(JsonElement.DeepEquals(Parse(Rest).GetProperty("metadata"), both[1].GetProperty("metadata")), both[1].GetRawText());
        Assert.Equal("3.0", both[1].GetProperty("content")[2].GetRawText());
    }

    [Fact]
    public async Task Oversized_null_or_misaddressed_seed_contexts_get_a_clear_error_and_store_nothing()
    {
        var settings = stack.Settings();
        settings = settings with { Extra = new Dictionary<string, string?>(settings.Extra) { ["Contexts:MaxContentBytes"] = "1024" } };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("edmund");
        await using var socket = await RawSocket.OpenAsync(browser, "mcp-v1");
        await using var otherTab = await RawSocket.OpenAsync(browser, "mcp-v1");
        await Exchange(otherTab, """{"id":"ready","type":"request","method":"auth","params":{}}""", "ready");
        var oversized = $$$"""{"message":"{{{new string('x', 1024)}}}","timestamp":1733140000000,"user_context":{}}""";

        foreach (var (id, parameters, message) in new[]
        {
            ("big", $$"""{"conversation_id":"trip-2","content":{{oversized}},"metadata":{{SeedMetadata}}}""", "content is larger than 1024 bytes."),
            ("null", $$"""{"conversation_id":"trip-2","content":null,"metadata":{{SeedMetadata}}}""", "content is required: any JSON value but null (a string, number, boolean, array or object)."),
            ("none", $$"""{"conversation_id":"trip-2","metadata":{{SeedMetadata}}}""", "content is required: any JSON value but null (a string, number, boolean, array or object)."),
            ("where", $$"""{"conversation_id":"../trip-2","content":{{SeedContent}},"metadata":{{SeedMetadata}}}""", "conversation_id is required: 1 to 128 letters, digits, '.', '_', ':' or '-'."),
            ("when", $$$"""{"conversation_id":"trip-2","content":{{{SeedContent}}},"metadata":{"timestamp":"yesterday"}}""", "params must be {conversation_id, content, metadata?, id?}."),
        })
        {
            var refused = await Exchange(socket, $$"""{"id":"{{id}}","type":"request","method":"context_store","params":{{parameters}}}""", id);
            Assert.Equal("response", refused.GetProperty("type").GetString());
            Assert.Equal((-32602, message), (refused.GetProperty("error").GetProperty("code").GetInt32(), refused.GetProperty("error").GetProperty("message").GetString()));
        }

        using var restNull = await browser.PostAsync("/api/conversations/trip-2/contexts", JsonContent.Create(new { content = (object?)null }));
        Assert.Equal(HttpStatusCode.BadRequest, restNull.StatusCode);
        Assert.StartsWith("content is required", (await restNull.JsonAsync()).GetProperty("error_description").GetString(), StringComparison.Ordinal);

        using var listed = await browser.GetAsync("/api/conversations/trip-2/contexts");
        Assert.Equal(0, (await listed.JsonAsync()).GetProperty("contexts").GetArrayLength());
        var listedOverSocket = await Exchange(socket, """{"id":"l1","type":"request","method":"context_list","params":{"conversation_id":"trip-2"}}""", "l1");
        Assert.Equal(0, listedOverSocket.GetProperty("result").GetProperty("contexts").GetArrayLength());
        await AssertSilentAsync(otherTab, "context_update");
    }

    private static void AssertSeedContext(JsonElement context, string id)
    {
        Assert.Equal(id, context.GetProperty("id").GetString());
        Assert.Equal("trip-1", context.GetProperty("conversation_id").GetString());
        Assert.True(JsonElement.DeepEquals(Parse(SeedContent), context.GetProperty("content")), "content changed: " + context.GetProperty("content").GetRawText());
        Assert.Equal("120.50", context.GetProperty("content").GetProperty("user_context").GetProperty("preferences").GetProperty("budget").GetRawText());
        Assert.True(JsonElement.DeepEquals(Parse(SeedMetadata), context.GetProperty("metadata")), "metadata changed: " + context.GetProperty("metadata").GetRawText());
        Assert.Equal(JsonValueKind.Number, context.GetProperty("metadata").GetProperty("timestamp").ValueKind);
    }

    private static async Task AssertSilentAsync(RawSocket socket, string method)
        => await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.ReceiveAsync(message => Method(message) == method, TimeSpan.FromMilliseconds(500)));

    private static string? Method(JsonElement message)
        => message.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String ? method.GetString() : null;

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static async Task<JsonElement> Exchange(RawSocket socket, string envelope, string id)
    {
        await socket.SendAsync(envelope);
        return await socket.ReceiveAsync(message => message.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.String && answered.GetString() == id);
    }
}
