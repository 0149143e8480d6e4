using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using McpGateway.IntegrationTests.Hostile;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

[Collection(nameof(FaultCollection))]
public sealed class ChatUpstreamFaultTests(FaultStack stack, ITestOutputHelper output)
{
    private static readonly string LongQuestion = string.Join(' ', Enumerable.Range(1, 40).Select(i => "word" + i));

    [Fact]
    public async Task A_stream_cut_by_a_killed_chat_server_ends_without_its_final_event_the_gateway_stays_up_and_serves_the_next_call_after_a_restart()
    {
        await using var chat = await NodeServer.StartChatAsync(stack.Provider);
        await using var gateway = GatewayHost.Start(stack.Settings(extra: new Dictionary<string, string?> { ["Upstreams:Chat:Url"] = chat.BaseAddress.AbsoluteUri }));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("streamer");
        using var http = StreamingClient(browser);

        using var streaming = await StartStreamAsync(http, gateway, "?chunkDelayMs=300");
        Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);
        using var reader = new StreamReader(await streaming.Content.ReadAsStreamAsync());
        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            received.Add(await NextDataAsync(reader) ?? throw new InvalidOperationException("the stream ended before three events"));
        }

        await ProcessKiller.KillAsync(chat);
        var clock = Stopwatch.StartNew();
        var (rest, ending) = await ReadToEndAsync(reader, TimeSpan.FromSeconds(10));
        received.AddRange(rest);
        output.WriteLine($"After the kill the stream ended in {clock.Elapsed.TotalMilliseconds:F0} ms ({ending}) with {received.Count} events.");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the cut stream took {clock.Elapsed} to end");
        Assert.DoesNotContain(received, data => data.Contains("finish_reason", StringComparison.Ordinal) || data == "[DONE]");
        Assert.All(received, data => Assert.Contains("delta", data, StringComparison.Ordinal));
        await AssertGatewayServesAsync(browser);

        // While the server is down: 502 JSON before any header was sent.
        using (var down = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question("anyone?"))))
        {
            Assert.Equal(HttpStatusCode.BadGateway, down.StatusCode);
            Assert.Equal("upstream_unavailable", await down.ErrorCodeAsync());
        }

        await chat.StartAgainAsync();
        using (var answered = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question("back again"))))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            Assert.Equal("Echo: back again", (await answered.JsonAsync()).GetProperty("message").GetProperty("content").GetString());
        }

        using var whole = await StartStreamAsync(http, gateway, "?chunkDelayMs=1");
        var (events, end) = await ReadToEndAsync(new StreamReader(await whole.Content.ReadAsStreamAsync()), TimeSpan.FromSeconds(10));
        Assert.Equal("end of stream", end);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains(events, data => data.Contains("finish_reason", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("[101]", StringComparison.Ordinal));
        GatewaySecrets.AssertNotInLogs(gateway, await GatewaySecrets.CollectAsync(gateway, browser));
    }

    [Fact]
    public async Task A_chat_server_that_goes_quiet_mid_stream_is_cut_at_the_timeout_and_the_gateway_serves_the_next_call()
    {
        await using var gateway = GatewayHost.Start(stack.Settings(extra: new Dictionary<string, string?> { ["Upstreams:Chat:Timeout"] = "00:00:01" }));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("sleeper");
        using var http = StreamingClient(browser);

        // The first word comes at once, the next only after 4 s: longer than the gateway waits for a byte.
        var clock = Stopwatch.StartNew();
        using var streaming = await StartStreamAsync(http, gateway, "?chunkDelayMs=4000");
        Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);
        var (events, ending) = await ReadToEndAsync(new StreamReader(await streaming.Content.ReadAsStreamAsync()), TimeSpan.FromSeconds(10));
        output.WriteLine($"The quiet stream ended after {clock.Elapsed.TotalMilliseconds:F0} ms ({ending}) with {events.Count} events.");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.5), $"the quiet stream was cut only after {clock.Elapsed}");
        Assert.Single(events);
        Assert.Contains("delta", events[0], StringComparison.Ordinal);
        await AssertGatewayServesAsync(browser);
        using var answered = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question("still there")));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        GatewaySecrets.AssertNotInLogs(gateway, await GatewaySecrets.CollectAsync(gateway, browser));
    }

    private static object Question(string text, bool stream = false) => new { messages = new[] { new { role = "user", content = text } }, stream };

    private static HttpClient StreamingClient(Browser browser)
        => new(new HttpClientHandler { CookieContainer = browser.Cookies, UseCookies = true }) { Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<HttpResponseMessage> StartStreamAsync(HttpClient http, GatewayHost gateway, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "/api/v2/chat" + query))
        {
            Content = JsonContent.Create(Question(LongQuestion, stream: true)),
        };
        request.Headers.Add("X-CSRF", "1");
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task AssertGatewayServesAsync(Browser browser)
    {
        using var health = await browser.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var session = await browser.GetAsync("/auth/session");
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    private static async Task<string?> NextDataAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }

        return null;
    }

    /// <summary>Reads events until the stream ends; says how it ended (cleanly, or cut with an error).</summary>
    private static async Task<(List<string> Events, string Ending)> ReadToEndAsync(StreamReader reader, TimeSpan timeout)
    {
        var events = new List<string>();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(line["data: ".Length..]);
                }
            }

            return (events, "end of stream");
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return (events, "cut: " + ex.GetType().Name);
        }
        catch (OperationCanceledException)
        {
            return (events, "still open after " + timeout);
        }
    }
}
