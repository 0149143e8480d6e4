using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Proxy;

[Collection(nameof(ChatStackCollection))]
public sealed class ChatProxyTests(ChatStack stack)
{
    private static List<string> HeaderNames(JsonElement seen)
        => seen.GetProperty("headers").EnumerateArray().Select(header => header.GetString()!.ToLowerInvariant()).ToList();

    private static readonly object Question = new { messages = new[] { new { role = "user", content = "what is the weather like" } } };

    [Fact]
    public async Task The_upstream_receives_the_users_token_dpop_bound_at_the_provider_defaults_and_neither_cookie_nor_csrf_header()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("anna");
        await stack.Chat.ClearAuditAsync();

        using var answer = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = await answer.JsonAsync();
        Assert.Equal("Echo: what is the weather like", body.GetProperty("message").GetProperty("content").GetString());
        var seen = Assert.Single(await stack.Chat.AuditAsync());
        Assert.Equal("DPoP", seen.GetProperty("authorization").GetString());
        Assert.True(seen.GetProperty("dpop").GetBoolean(), "the chat server did not check a DPoP proof");
        Assert.Equal("anna", seen.GetProperty("sub").GetString());
        Assert.False(seen.GetProperty("hadCookie").GetBoolean());
        var headers = seen.GetProperty("headers").EnumerateArray().Select(header => header.GetString()!.ToLowerInvariant()).ToList();
        Assert.DoesNotContain("cookie", headers);
        Assert.DoesNotContain("x-csrf", headers);
    }

    [Fact]
    public async Task Without_a_trace_exporter_the_gateway_adds_no_trace_header_of_its_own_and_passes_the_callers_on()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("tara");
        await stack.Chat.ClearAuditAsync();

        using (var plain = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question)))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        var untraced = Assert.Single(await stack.Chat.AuditAsync());
        Assert.DoesNotContain("traceparent", HeaderNames(untraced));

        await stack.Chat.ClearAuditAsync();
        using var traced = new HttpRequestMessage(HttpMethod.Post, new Uri(browser.Gateway, "/api/v2/chat")) { Content = JsonContent.Create(Question) };
        traced.Headers.Add("X-CSRF", "1");
        traced.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        using (var answer = await browser.SendAsync(traced))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        Assert.Contains("traceparent", HeaderNames(Assert.Single(await stack.Chat.AuditAsync())));
    }

    [Fact]
    public async Task Without_session_or_csrf_header_the_call_is_refused_and_the_upstream_sees_nothing()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var anonymous = gateway.CreateBrowser();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("ben");
        await stack.Chat.ClearAuditAsync();

        using var unauthenticated = await anonymous.PostAsync("/api/v2/chat", JsonContent.Create(Question));
        using var forged = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question), csrfHeader: false);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal("unauthenticated", await unauthenticated.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("csrf_header_missing", await forged.ErrorCodeAsync());
        Assert.Empty(await stack.Chat.AuditAsync());

        using var logout = await browser.PostAsync("/auth/logout");
        using var afterLogout = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question));
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    [Fact]
    public async Task A_streamed_answer_reaches_the_browser_chunk_by_chunk_while_the_upstream_is_still_writing()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("carl");
        var question = new { messages = new[] { new { role = "user", content = "one two three four five six" } }, stream = true };

        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "/api/v2/chat?chunkDelayMs=400")) { Content = JsonContent.Create(question) };
        request.Headers.Add("X-CSRF", "1");
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies });
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var firstData = await NextDataLineAsync(reader) ?? throw new InvalidOperationException("no event arrived");
        var firstChunkAt = clock.Elapsed;
        var deltas = new List<string> { firstData };
        string? line;
        while ((line = await NextDataLineAsync(reader)) is not null and not "[DONE]")
        {
            deltas.Add(line);
        }

        var endAt = clock.Elapsed;
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("delta", firstData, StringComparison.Ordinal);
        Assert.True(deltas.Count >= 7, $"{deltas.Count} events");
        Assert.True(endAt - firstChunkAt > TimeSpan.FromSeconds(2), $"first chunk at {firstChunkAt}, end at {endAt}: the answer was buffered");
    }

    [Fact]
    public async Task Usage_reported_by_json_and_streamed_answers_is_counted_per_user_and_model()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("dora-" + Guid.NewGuid().ToString("N")[..6]);

        using var plain = await browser.PostAsync("/api/v2/chat", JsonContent.Create(new { messages = new[] { new { role = "user", content = "count these four words" } }, model = "model-a" }));
        var plainUsage = (await plain.JsonAsync()).GetProperty("usage");
        using var streamed = await browser.PostAsync("/api/v2/chat?chunkDelayMs=1", JsonContent.Create(new { messages = new[] { new { role = "user", content = "and three more" } }, model = "model-a", stream = true }));
        var streamedUsage = JsonDocument.Parse((await streamed.Content.ReadAsStringAsync()).Split('\n')
            .Where(line => line.StartsWith("data: {", StringComparison.Ordinal) && line.Contains("usage", StringComparison.Ordinal))
            .Select(line => line["data: ".Length..]).Last()).RootElement.GetProperty("usage");

        using var report = await browser.GetAsync("/api/usage");
        var model = Assert.Single((await report.JsonAsync()).GetProperty("models").EnumerateArray());
        Assert.Equal("model-a", model.GetProperty("model").GetString());
        Assert.Equal("sample", model.GetProperty("provider").GetString());
        Assert.Equal(2, model.GetProperty("requests").GetInt64());
        Assert.Equal(plainUsage.GetProperty("total_tokens").GetInt64() + streamedUsage.GetProperty("total_tokens").GetInt64(), model.GetProperty("total_tokens").GetInt64());
        Assert.Equal(plainUsage.GetProperty("prompt_tokens").GetInt64() + streamedUsage.GetProperty("prompt_tokens").GetInt64(), model.GetProperty("prompt_tokens").GetInt64());
    }

    [Fact]
    public async Task Calls_beyond_the_users_budget_get_429_with_retry_after_and_never_reach_the_upstream()
    {
        await using var gateway = GatewayHost.Start(stack.Settings(("RateLimits:Chat:PermitLimit", "3"), ("RateLimits:Chat:Window", "00:01:00")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("eve");
        using var neighbour = gateway.CreateBrowser();
        await neighbour.LoginAsync("fred");
        await stack.Chat.ClearAuditAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var answer = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question));
            statuses.Add(answer.StatusCode);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("rate_limited", await answer.ErrorCodeAsync());
                Assert.True(answer.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        using var neighbours = await neighbour.PostAsync("/api/v2/chat", JsonContent.Create(Question));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, neighbours.StatusCode);
        Assert.Equal(4, (await stack.Chat.AuditAsync()).Length);
    }

    [Fact]
    public async Task A_dead_upstream_gives_502_json_and_a_slow_one_504_json()
    {
        await using var dead = GatewayHost.Start(stack.Settings(("Upstreams:Chat:Url", $"http://127.0.0.1:{FreePort.Next()}")));
        await using var slow = GatewayHost.Start(stack.Settings(("Upstreams:Chat:Timeout", "00:00:01")));
        await Task.WhenAll(dead.WaitUntilReadyAsync(), slow.WaitUntilReadyAsync());
        using var deadBrowser = dead.CreateBrowser();
        await deadBrowser.LoginAsync("gus");
        using var slowBrowser = slow.CreateBrowser();
        await slowBrowser.LoginAsync("gus");

        using var unavailable = await deadBrowser.PostAsync("/api/v2/chat", JsonContent.Create(Question));
        using var timedOut = await slowBrowser.PostAsync("/api/v2/chat?delayMs=4000", JsonContent.Create(Question));

        Assert.Equal(HttpStatusCode.BadGateway, unavailable.StatusCode);
        Assert.Equal("upstream_unavailable", await unavailable.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal("upstream_timeout", await timedOut.ErrorCodeAsync());
    }

    private static async Task<string?> NextDataLineAsync(StreamReader reader)
    {
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }

        return null;
    }
}
