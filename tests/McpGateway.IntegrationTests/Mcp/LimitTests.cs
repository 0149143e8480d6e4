using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class LimitTests(McpStack stack)
{
    [Fact]
    public async Task Sockets_beyond_the_per_user_limit_are_closed_with_a_reason_and_other_users_are_not_affected()
    {
        await using var gateway = GatewayHost.Start(WithLimits(("Mcp:MaxSocketsPerUser", "2")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("sam");
        using var other = gateway.CreateBrowser();
        await other.LoginAsync("tina");

        await using var first = await RawSocket.OpenAsync(browser);
        await using var second = await RawSocket.OpenAsync(browser);
        await using var third = await RawSocket.OpenAsync(browser);
        var (status, reason) = await third.WaitForCloseAsync();
        await using var others = await RawSocket.OpenAsync(other);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("at most 2", reason, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, (await first.RequestAsync(1, "gateway/auth")).GetProperty("result").ValueKind);
        Assert.Equal("tina", (await others.RequestAsync(1, "gateway/auth")).GetProperty("result").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Requests_beyond_the_per_socket_concurrency_limit_get_an_error_while_the_others_finish()
    {
        await using var gateway = GatewayHost.Start(WithLimits(("Mcp:MaxConcurrentRequestsPerSocket", "2")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("uma");
        await using var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();

        foreach (var id in new[] { 11, 12, 13 })
        {
            await socket.SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method = "tools/call", @params = new { name = "trigger-long-running-operation", arguments = new { duration = 2, steps = 2 } } }));
        }

        var refused = await socket.ReceiveAsync(message => message.TryGetProperty("id", out var id) && id.GetInt32() == 13);
        Assert.Equal(-32005, refused.GetProperty("error").GetProperty("code").GetInt32());
        var finished = await socket.ReceiveAsync(message => message.TryGetProperty("id", out var id) && id.GetInt32() is 11 or 12, TimeSpan.FromSeconds(20));
        Assert.True(finished.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task An_idle_socket_is_closed_with_4408()
    {
        await using var gateway = GatewayHost.Start(WithLimits(("Mcp:IdleTimeout", "00:00:02")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("vera");
        await using var socket = await RawSocket.OpenAsync(browser);

        var (status, reason) = await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4408, (int)status!);
        Assert.Contains("No message", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tool_calls_over_rest_and_the_socket_share_one_budget_per_user_then_get_429_or_minus_32004()
    {
        await using var gateway = GatewayHost.Start(WithLimits(("RateLimits:Tools:PermitLimit", "3"), ("RateLimits:Tools:Window", "00:01:00")));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("rita");
        using var other = gateway.CreateBrowser();
        await other.LoginAsync("remy");
        await using var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();
        var call = new { name = "calculator", arguments = new { expression = "2+2" } };

        using var first = await browser.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments = call.arguments }));
        var second = await socket.RequestAsync(2, "tools/call", call);
        var third = await socket.RequestAsync(3, "tools/call", call);
        var refused = await socket.RequestAsync(4, "tools/call", call);
        using var refusedRest = await browser.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments = call.arguments }));
        using var othersCall = await other.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments = call.arguments }));
        var notAToolCall = await socket.RequestAsync(5, "tools/list");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(second.TryGetProperty("result", out _));
        Assert.True(third.TryGetProperty("result", out _));
        Assert.Equal(-32004, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(refused.GetProperty("error").GetProperty("data").GetProperty("retryAfter").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedRest.StatusCode);
        Assert.Equal("rate_limited", await refusedRest.ErrorCodeAsync());
        Assert.True(refusedRest.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, othersCall.StatusCode);
        Assert.True(notAToolCall.TryGetProperty("result", out _), "only tool calls count against the budget");
    }

    [Fact]
    public async Task The_tool_budget_holds_across_two_replicas_sharing_redis_and_not_across_deployments()
    {
        var port = FreePort.Next();
        var settings = WithLimits(("RateLimits:Tools:PermitLimit", "4"), ("RateLimits:Tools:Window", "00:01:00"))
            with { PublicOrigin = new Uri("http://127.0.0.1:" + port) };
        await using var first = GatewayHost.Start(settings, port);
        await using var second = GatewayHost.Start(settings);
        await using var elsewhere = GatewayHost.Start(settings with { KeyPrefix = "other-" + Guid.NewGuid().ToString("N")[..8] + ":", PublicOrigin = null });
        await Task.WhenAll(first.WaitUntilReadyAsync(), second.WaitUntilReadyAsync(), elsewhere.WaitUntilReadyAsync());
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("vera");
        using var viaSecond = second.CreateBrowser();
        viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
        await using var socket = await RawSocket.OpenAsync(viaSecond, origin: settings.PublicOrigin);
        await socket.InitializeAsync();
        var arguments = new { expression = "6*7" };
        var call = new { name = "calculator", arguments };

        var calls = new List<HttpStatusCode>();
        foreach (var replica in new[] { browser, viaSecond, browser })
        {
            using var response = await replica.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments }));
            calls.Add(response.StatusCode);
        }

        var fourth = await socket.RequestAsync(4, "tools/call", call);
        var refusedOnSocket = await socket.RequestAsync(5, "tools/call", call);
        using var refusedOnFirst = await browser.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments }));
        using var refusedOnSecond = await viaSecond.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments }));

        Assert.All(calls, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.True(fourth.TryGetProperty("result", out _), fourth.ToString());
        Assert.Equal(-32004, refusedOnSocket.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedOnFirst.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedOnSecond.StatusCode);
        var retryAfter = refusedOnFirst.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter > TimeSpan.Zero && retryAfter <= TimeSpan.FromMinutes(1), $"Retry-After {retryAfter}");

        // Another deployment on the same Redis (its own key prefix) keeps its own budget for the same user.
        using var otherDeployment = elsewhere.CreateBrowser();
        await otherDeployment.LoginAsync("vera");
        using var there = await otherDeployment.PostAsync("/api/tools/calculator/call", JsonContent.Create(new { arguments }));
        Assert.Equal(HttpStatusCode.OK, there.StatusCode);
    }

    [Fact]
    public async Task The_per_user_socket_cap_counts_the_sockets_of_every_replica()
    {
        var port = FreePort.Next();
        var settings = WithLimits(("Mcp:MaxSocketsPerUser", "2")) with { PublicOrigin = new Uri("http://127.0.0.1:" + port) };
        await using var first = GatewayHost.Start(settings, port);
        await using var second = GatewayHost.Start(settings);
        await Task.WhenAll(first.WaitUntilReadyAsync(), second.WaitUntilReadyAsync());
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("wanda");
        using var viaSecond = second.CreateBrowser();
        viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));

        await using var onFirst = await RawSocket.OpenAsync(browser);
        var onSecond = await RawSocket.OpenAsync(viaSecond, origin: settings.PublicOrigin);
        // A socket is admitted (its slot taken) after the upgrade: an answer on each shows both slots are taken.
        Assert.Equal(JsonValueKind.Object, (await onFirst.RequestAsync(1, "gateway/auth")).GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Object, (await onSecond.RequestAsync(1, "gateway/auth")).GetProperty("result").ValueKind);
        await using (var third = await RawSocket.OpenAsync(browser))
        {
            var (status, reason) = await third.WaitForCloseAsync();
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
            Assert.Contains("at most 2", reason, StringComparison.Ordinal);
        }

        Assert.Equal(JsonValueKind.Object, (await onFirst.RequestAsync(2, "gateway/auth")).GetProperty("result").ValueKind);

        // A socket closed on one replica frees its slot for the other.
        await onSecond.DisposeAsync();
        await GatewayAssertions.EventuallyAsync(async () =>
        {
            await using var again = await RawSocket.OpenAsync(browser);
            try
            {
                return (await again.RequestAsync(2, "gateway/auth")).TryGetProperty("result", out _);
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "a slot freed on the second replica is usable on the first");
    }

    [Fact]
    public async Task The_per_user_event_stream_cap_counts_the_streams_of_every_replica_apart_from_the_sockets()
    {
        var port = FreePort.Next();
        var settings = WithLimits(("Mcp:MaxStreamsPerUser", "1"), ("Mcp:MaxSocketsPerUser", "1")) with { PublicOrigin = new Uri("http://127.0.0.1:" + port) };
        await using var first = GatewayHost.Start(settings, port);
        await using var second = GatewayHost.Start(settings);
        await Task.WhenAll(first.WaitUntilReadyAsync(), second.WaitUntilReadyAsync());
        using var browser = first.CreateBrowser();
        await browser.LoginAsync("xavier");
        using var onFirst = new StreamableHttp.RawMcpHttp(browser);
        using var onSecond = new StreamableHttp.RawMcpHttp(browser, second.BaseAddress);
        await onFirst.InitializeAsync();
        await onSecond.InitializeAsync();
        static void EventStream(HttpRequestMessage request) => request.Headers.Add("Accept", "text/event-stream");

        using var open = await onFirst.SendAsync(HttpMethod.Get, EventStream, HttpCompletionOption.ResponseHeadersRead);
        using var refused = await onSecond.SendAsync(HttpMethod.Get, EventStream, HttpCompletionOption.ResponseHeadersRead);
        await using var socket = await RawSocket.OpenAsync(browser);

        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("at most 1 per user", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, (await socket.RequestAsync(1, "gateway/auth")).GetProperty("result").ValueKind);
    }

    private GatewaySettings WithLimits(params (string Key, string Value)[] limits)
    {
        var settings = stack.Settings();
        var extra = new Dictionary<string, string?>(settings.Extra);
        foreach (var (key, value) in limits)
        {
            extra[key] = value;
        }

        return settings with { Extra = extra };
    }
}
