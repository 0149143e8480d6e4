using System.Net;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

/// <summary>
/// SSE event ids and <c>Last-Event-ID</c>: a POST's answer stream that drops mid-call is resumed on another replica
/// (one Redis), every event after the last one seen arrives once and in order, the response last.
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class StreamResumptionTests(McpStack stack)
{
    private const string SlowCall = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"trigger-long-running-operation","arguments":{"duration":3,"steps":6},"_meta":{"progressToken":"resume-me"}}}""";

    [Fact]
    public async Task A_dropped_answer_stream_resumes_on_another_replica_with_every_later_event_once_and_the_response_last()
    {
        await using var replicas = await GatewayReplicas.StartAsync(stack.Settings());
        var (first, second) = replicas;
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("rhea");
        using var onFirst = new RawMcpHttp(browser);
        var sessionId = await onFirst.InitializeAsync();

        // Read the first event of the slow call's stream, then drop the connection.
        string lastSeen;
        {
            using var response = await onFirst.SendPostAsync(SlowCall, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            // The server may send other notifications (tools/list_changed) on the stream first.
            SseEvent firstProgress;
            do
            {
                firstProgress = await SseEvent.ReadAsync(reader) ?? throw new InvalidOperationException("no progress before the drop");
            }
            while (Method(firstProgress) != "notifications/progress");

            lastSeen = firstProgress.Id ?? throw new InvalidOperationException("the event has no id");
        }

        using var onSecond = new RawMcpHttp(browser, second.BaseAddress) { SessionId = sessionId };
        using var resumed = await onSecond.SendAsync(HttpMethod.Get, request =>
        {
            request.Headers.Add("Accept", "text/event-stream");
            request.Headers.Add("Last-Event-ID", lastSeen);
        }, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        using var resumedReader = new StreamReader(await resumed.Content.ReadAsStreamAsync());
        var events = new List<SseEvent>();
        while (await SseEvent.ReadAsync(resumedReader) is { } next)
        {
            events.Add(next);
        }

        var stream = lastSeen[..lastSeen.LastIndexOf('-')];
        var firstSequence = long.Parse(lastSeen[(lastSeen.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            Enumerable.Range(1, events.Count).Select(offset => $"{stream}-{firstSequence + offset}"),
            events.Select(received => received.Id));
        var response7 = events[^1].Message;
        Assert.Equal(7, response7.GetProperty("id").GetInt32());
        Assert.True(response7.TryGetProperty("result", out _), response7.GetRawText());
        var progress = events.Where(received => Method(received) == "notifications/progress")
            .Select(received => received.Message.GetProperty("params").GetProperty("progress").GetDouble()).ToList();
        Assert.Equal(5, progress.Count);
        Assert.Equal(progress.Order(), progress);

        // What cannot be resumed gets a clear 400: a malformed id, an unknown stream, or the stream of another session.
        using var otherSession = new RawMcpHttp(browser, second.BaseAddress);
        await otherSession.InitializeAsync();
        foreach (var (client, eventId) in new[] { (onSecond, "not-an-id"), (onSecond, "r000000000000-1"), (otherSession, lastSeen) })
        {
            using var refused = await client.SendAsync(HttpMethod.Get, request =>
            {
                request.Headers.Add("Accept", "text/event-stream");
                request.Headers.Add("Last-Event-ID", eventId);
            });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Contains("Last-Event-ID", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    private static string? Method(SseEvent received)
        => received.Message.TryGetProperty("method", out var method) ? method.GetString() : null;

    private sealed record SseEvent(string? Id, JsonElement Message)
    {
        /// <summary>The next event with data (comments and keep-alives skipped), or null at the end of the stream.</summary>
        public static async Task<SseEvent?> ReadAsync(StreamReader reader)
        {
            string? id = null, data = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data is not null)
                    {
                        return new SseEvent(id, JsonDocument.Parse(data).RootElement.Clone());
                    }

                    id = null;
                    continue;
                }

                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line["id: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
            }

            return null;
        }
    }
}
