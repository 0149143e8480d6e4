using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class SeedDialectTests(McpStack stack)
{
    [Fact]
    public async Task The_mcp_v1_envelope_does_the_same_work_translated_one_to_one()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("victor");
        await using var socket = await RawSocket.OpenAsync(browser, "mcp-v1");

        var auth = await Exchange(socket, """{"id":"a1","type":"request","method":"auth","params":{}}""", "a1");
        Assert.Equal("response", auth.GetProperty("type").GetString());
        Assert.Equal("victor", auth.GetProperty("result").GetProperty("sub").GetString());

        var initialized = await Exchange(socket, """{"id":"i1","type":"request","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"seed","version":"1"}}}""", "i1");
        Assert.Equal("2025-11-25", initialized.GetProperty("result").GetProperty("protocolVersion").GetString());
        await socket.SendAsync("""{"type":"notification","method":"notifications/initialized"}""");

        var listed = await Exchange(socket, """{"id":"l1","type":"request","method":"tools/list","params":{}}""", "l1");
        var names = listed.GetProperty("result").GetProperty("tools").EnumerateArray().Select(tool => tool.GetProperty("name").GetString()).ToList();
        Assert.Contains("calculator", names);
        Assert.Contains("echo", names);

        var calculated = await Exchange(socket, """{"id":"t1","type":"request","method":"tool_call","params":{"tool_name":"calculator","parameters":{"expression":"sqrt(16) + 1"}}}""", "t1");
        Assert.Equal("5", calculated.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());

        var echoed = await Exchange(socket, """{"id":"t2","type":"request","method":"tool_call","params":{"tool_name":"echo","parameters":{"message":"seed"}}}""", "t2");
        Assert.Equal("Echo: seed", echoed.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());

        await socket.SendAsync("""{"id":"c1","type":"request","method":"context_store","params":{"conversation_id":"conv-1","content":"the user likes tea","metadata":{"model":"sample-1","tokens_used":12}}}""");
        // The storing socket's own push may come before or after the answer: keep whichever arrives first.
        JsonElement? answer = null, push = null;
        while (answer is null || push is null)
        {
            var message = await socket.ReceiveAsync();
            if (message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == "c1")
            {
                answer = message;
            }
            else if (message.TryGetProperty("method", out var method) && method.GetString() == "context_update")
            {
                push = message;
            }
        }

        var stored = answer.Value;
        var update = push.Value;
        Assert.Equal("conv-1", stored.GetProperty("result").GetProperty("context").GetProperty("conversation_id").GetString());
        Assert.Equal("notification", update.GetProperty("type").GetString());
        Assert.Equal("stored", update.GetProperty("params").GetProperty("action").GetString());
        Assert.Equal("the user likes tea", update.GetProperty("params").GetProperty("context").GetProperty("content").GetString());

        await socket.SendAsync("""{"type":"banana"}""");
        Assert.Equal(-32600, (await socket.ReceiveAsync()).GetProperty("error").GetProperty("code").GetInt32());
    }

    private static async Task<JsonElement> Exchange(RawSocket socket, string envelope, string id)
    {
        await socket.SendAsync(envelope);
        return await socket.ReceiveAsync(message => message.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.String && answered.GetString() == id);
    }
}
