using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// What a user stored through a replica outlives it: contexts (written to Redis before they are acknowledged) and chat
/// usage (flushed to Redis every second: what a replica metered in its last second before a SIGKILL is lost with it,
/// so the kill here comes after a flush).
/// </summary>
[Collection(nameof(FaultCollection))]
public sealed class ReplicaKillStateTests(FaultStack stack, ITestOutputHelper output)
{
    private const int Requests = 6;

    [Fact]
    public async Task Contexts_and_usage_stored_through_a_killed_replica_are_intact_on_the_other()
    {
        await using var replicas = await BalancedReplicas.StartAsync(stack);
        using var browser = new Browser(replicas.Balancer.BaseAddress);
        await browser.LoginAsync("keeper");
        var routedBefore = replicas.Balancer.Routed;

        var stored = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            using var context = await OnNewConnectionAsync(browser, HttpMethod.Post, "/api/conversations/kept/contexts", new { content = new { note = $"kept {i}", turn = i } });
            Assert.Equal(HttpStatusCode.Created, context.StatusCode);
            stored.Add((await context.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!);
            using var chat = await OnNewConnectionAsync(browser, HttpMethod.Post, "/api/v2/chat", new { messages = new[] { new { role = "user", content = $"turn {i}" } } });
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        var throughDoomed = replicas.Balancer.Routed[0] - routedBefore[0];
        Assert.True(throughDoomed > 0, "no request went through the replica to be killed");
        var usageBefore = await UsageAsync(browser);
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        await replicas.KillAsync();

        using var listed = await OnNewConnectionAsync(browser, HttpMethod.Get, "/api/conversations/kept/contexts");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var body = await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.All(stored, id => Assert.Contains($"\"{id}\"", body, StringComparison.Ordinal));
        var usageAfter = await UsageAsync(browser);
        output.WriteLine($"Connections through the killed replica: {throughDoomed} of {2 * Requests}; contexts kept: {stored.Count}; chat requests metered before / after the kill: {usageBefore} / {usageAfter}.");
        Assert.Equal(Requests, usageAfter);
    }

    /// <summary>
    /// A same-origin fetch on a connection of its own (<c>Connection: close</c>): the balancer sends each to the next
    /// replica, and none rides a pooled connection to the killed one.
    /// </summary>
    private static Task<HttpResponseMessage> OnNewConnectionAsync(Browser browser, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(browser.Gateway, path)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.ConnectionClose = true;
        request.Headers.Add("X-CSRF", "1");
        return browser.SendAsync(request);
    }

    /// <summary>The chat requests metered for the user, over every model.</summary>
    private static async Task<long> UsageAsync(Browser browser)
    {
        using var usage = await OnNewConnectionAsync(browser, HttpMethod.Get, "/api/usage");
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
        var report = await usage.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return report.GetProperty("models").EnumerateArray().Sum(model => model.GetProperty("requests").GetInt64());
    }
}
