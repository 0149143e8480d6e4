using System.Net;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

[Collection(nameof(McpStackCollection))]
public sealed class StreamableHttpReplicaTests(McpStack stack)
{
    private static string EchoCall(int id, string message)
        => "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"" + message + "\"}}}";

    [Fact]
    public async Task A_session_opened_on_one_replica_is_resumed_on_another_for_its_owner_only_and_joins_the_same_upstream_session()
    {
        // Replicas share the public origin; cookies of 127.0.0.1 go to every port, as to every replica behind one load balancer.
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var owner = first.CreateBrowser();
        await owner.LoginAsync("lena");
        using var other = first.CreateBrowser();
        await other.LoginAsync("mika");
        using var onFirst = new RawMcpHttp(owner);
        var sessionId = await onFirst.InitializeAsync();
        using (var echoed = await onFirst.PostAsync(EchoCall(2, "on the first")))
        {
            Assert.Equal("Echo: on the first", Text(await RawMcpHttp.MessageAsync(echoed)));
        }

        await stack.Front.ClearAuditAsync();
        using var onSecond = new RawMcpHttp(owner, second.BaseAddress) { SessionId = sessionId };
        using (var echoed = await onSecond.PostAsync(EchoCall(3, "on the second")))
        {
            Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
            Assert.Equal("Echo: on the second", Text(await RawMcpHttp.MessageAsync(echoed)));
        }

        using (var calculated = await onSecond.PostAsync("""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"calculator","arguments":{"expression":"7*6"}}}"""))
        {
            Assert.Equal("42", Text(await RawMcpHttp.MessageAsync(calculated)));
        }

        // The second replica joined the upstream session the first opened: no new initialize reached the upstream.
        var audit = await stack.Front.AuditAsync();
        Assert.Contains(audit, entry => entry.GetProperty("mcpMethod").GetString() == "tools/call");
        Assert.DoesNotContain(audit, entry => entry.GetProperty("mcpMethod").GetString() == "initialize");
        Assert.Contains("resumed on this replica", second.Logs.Text, StringComparison.Ordinal);

        using var foreign = new RawMcpHttp(other, second.BaseAddress) { SessionId = sessionId };
        using (var refused = await foreign.PostAsync(EchoCall(5, "not mine")))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using (var deleted = await onSecond.SendAsync(HttpMethod.Delete))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Ended everywhere: the first replica's own copy too.
        foreach (var replica in new[] { second.BaseAddress, first.BaseAddress })
        {
            using var afterwards = new RawMcpHttp(owner, replica) { SessionId = sessionId };
            await GatewayAssertions.EventuallyAsync(async () =>
            {
                using var ended = await afterwards.PostAsync(EchoCall(6, "after delete"));
                return ended.StatusCode == HttpStatusCode.NotFound;
            }, TimeSpan.FromSeconds(10), "the deleted session is unknown on " + replica);
        }
    }

    private static string? Text(System.Text.Json.JsonElement message) => message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString();
}
