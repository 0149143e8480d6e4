using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using McpGateway.Tests.Infrastructure;
using McpGateway.Tools;
using McpGateway.Tools.WebSearch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Tools.WebSearch;

/// <summary>web_search through the real feature registration (named client, no redirects) against a fake SearXNG.</summary>
public sealed class WebSearchToolTests : IAsyncLifetime
{
    private readonly CapturingLogger<WebSearchTool> _logger = new();
    private readonly List<IHost> _hosts = [];
    private FakeSearchServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeSearchServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Sends_only_the_query_and_format_json_to_the_configured_endpoint()
    {
        var result = await Search("""{"query":"  c# & \"quotes\" / ü ?=  "}""");

        ToolAssert.Success(result);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/search", request.Path);
        Assert.Equal("c# & \"quotes\" / ü ?=", request.Q);
        Assert.Equal("json", request.Format);
        Assert.Equal("", request.Cookie);
        Assert.Equal("", request.Authorization);
        Assert.Equal("McpGateway/1.0", request.UserAgent);
        Assert.Contains("application/json", request.Accept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_already_in_the_configured_url_is_kept()
    {
        var tool = Tool(new Uri(_server.Url, "?language=en&safesearch=1"));

        ToolAssert.Success(await tool.InvokeAsync(ToolAssert.Arguments("query", "cats"), ToolAssert.Alice, TestContext.Current.CancellationToken));

        Assert.Equal("?language=en&safesearch=1&q=cats&format=json", Assert.Single(_server.Requests).QueryString);
    }

    [Fact]
    public async Task Returns_text_and_structured_results_with_title_url_and_plain_snippet()
    {
        var result = await Search("""{"query":"cats","count":2}""");

        Assert.Equal(
            "Results for \"cats\":\n\n1. Result 1 for cats\n   https://example.com/search/1\n   Snippet 1 about cats.\n"
            + "\n2. Result 2 for cats\n   https://example.com/search/2\n   Snippet 2 about cats.\n",
            ToolAssert.Success(result));
        Assert.Equal(
            """{"results":[{"title":"Result 1 for cats","url":"https://example.com/search/1","snippet":"Snippet 1 about cats."},{"title":"Result 2 for cats","url":"https://example.com/search/2","snippet":"Snippet 2 about cats."}]}""",
            result.StructuredContent!.Value.GetRawText());
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(5, 5)]
    public async Task Count_bounds_the_results_and_defaults_to_max_results(int? count, int expected)
    {
        var arguments = count is { } n ? $$"""{"query":"x","count":{{n}}}""" : """{"query":"x"}""";

        var result = await Search(arguments);

        Assert.Equal(expected, result.StructuredContent!.Value.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Max_results_is_configurable_and_bounds_count()
    {
        var tool = Tool(settings: new() { ["Tools:WebSearch:MaxResults"] = "8" });

        var result = await tool.InvokeAsync(ToolAssert.Arguments("""{"query":"x","count":8}"""), ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.Equal(8, result.StructuredContent!.Value.GetProperty("results").GetArrayLength());
        Assert.Equal(8, tool.Definition.InputSchema.GetProperty("properties").GetProperty("count").GetProperty("maximum").GetInt32());
    }

    [Theory]
    [InlineData("""{"query":"x","count":6}""", "Argument 'count' must be an integer from 1 to 5, got 6.")]
    [InlineData("""{"query":"x","count":0}""", "Argument 'count' must be an integer from 1 to 5, got 0.")]
    [InlineData("""{"query":"x","count":"3"}""", "Argument 'count' must be an integer, got a string.")]
    [InlineData("""{"query":"x","count":2.5}""", "Argument 'count' must be an integer, got 2.5.")]
    [InlineData("""{}""", "Missing required argument 'query'.")]
    [InlineData("""{"query":""}""", "Argument 'query' must not be empty.")]
    [InlineData("""{"query":"   "}""", "Argument 'query' must not be blank.")]
    [InlineData("""{"query":["x"]}""", "Argument 'query' must be a string, got an array.")]
    [InlineData("""{"query":"x","url":"http://evil.example/"}""", "Unknown argument 'url'; this tool accepts 'query', 'count'.")]
    public async Task Bad_arguments_are_error_results_and_nothing_is_sent(string arguments, string expected)
    {
        Assert.Equal(expected, ToolAssert.Error(await Search(arguments)));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_query_over_500_characters_is_refused()
        => ToolAssert.Error(await Search(JsonSerializer.Serialize(new { query = new string('q', 501) })), "from 1 to 500 characters long, got 501");

    [Fact]
    public async Task Html_is_stripped_from_titles_and_snippets_and_entities_decoded()
    {
        _server.Handler = context => FakeSearchServer.Json(context, new
        {
            results = new[]
            {
                new
                {
                    title = "<span class=\"highlight\">Cats</span> &amp; dogs",
                    url = "https://example.com/a",
                    content = "<b>bold</b>&nbsp;&amp; <i>it</i><br>next &lt;script&gt;alert(1)&lt;/script&gt;<script>steal()</script> end",
                },
            },
        });

        var result = await Search("""{"query":"cats"}""");

        var item = result.StructuredContent!.Value.GetProperty("results")[0];
        Assert.Equal("Cats & dogs", item.GetProperty("title").GetString());
        Assert.Equal("bold & it next end", item.GetProperty("snippet").GetString());
        Assert.DoesNotContain("<", ToolAssert.Success(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_results_with_absolute_http_or_https_urls_are_returned()
    {
        _server.Handler = context => FakeSearchServer.Json(context, new
        {
            results = new object[]
            {
                new { title = "js", url = "javascript:alert(1)", content = "" },
                new { title = "data", url = "data:text/html,<script>x</script>", content = "" },
                new { title = "file", url = "file:///etc/passwd", content = "" },
                new { title = "ftp", url = "ftp://example.com/x", content = "" },
                new { title = "relative", url = "/relative/path", content = "" },
                new { title = "missing", content = "" },
                new { title = "number", url = (object)42, content = "" },
                "not an object",
                new { title = "", url = "http://example.org/kept", content = "" },
                new { title = "secure", url = "https://example.com/kept", content = (object)7 },
            },
        });

        var results = (await Search("""{"query":"x"}""")).StructuredContent!.Value.GetProperty("results");

        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal("example.org", results[0].GetProperty("title").GetString());
        Assert.Equal("http://example.org/kept", results[0].GetProperty("url").GetString());
        Assert.Equal("https://example.com/kept", results[1].GetProperty("url").GetString());
        Assert.Equal("", results[1].GetProperty("snippet").GetString());
    }

    [Fact]
    public async Task No_results_is_a_successful_empty_answer()
    {
        _server.Handler = context => FakeSearchServer.Results(context, 0);

        var result = await Search("""{"query":"nothing"}""");

        Assert.Equal("No results for \"nothing\".", ToolAssert.Success(result));
        Assert.Equal("""{"results":[]}""", result.StructuredContent!.Value.GetRawText());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(404)]
    [InlineData(429)]
    public async Task An_error_status_is_an_error_result(int status)
    {
        _server.Handler = context =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("""{"error":"internal detail at /srv/searx/app.py"}""");
        };

        var text = ToolAssert.Error(await Search("""{"query":"x"}"""));

        Assert.Equal($"The search service failed (HTTP {status}). Try again later.", text);
        Assert.Equal(5020, Assert.Single(_logger.Entries).EventId.Id);
    }

    [Theory]
    [InlineData("text/html", "<!doctype html><html><body>Search</body></html>", "The search service did not answer with JSON.")]
    [InlineData("application/json", "", "The search service did not answer with JSON.")]
    [InlineData("application/json", "{\"results\": [", "The search service did not answer with JSON.")]
    [InlineData("application/json", "{\"answers\": []}", "The search service's answer has no 'results' list.")]
    [InlineData("application/json", "{\"results\": {}}", "The search service's answer has no 'results' list.")]
    [InlineData("application/json", "[1, 2]", "The search service's answer has no 'results' list.")]
    public async Task An_answer_that_is_not_search_json_is_an_error_result(string contentType, string body, string expected)
    {
        _server.Handler = context =>
        {
            context.Response.ContentType = contentType;
            return context.Response.WriteAsync(body);
        };

        Assert.Equal(expected, ToolAssert.Error(await Search("""{"query":"x"}""")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_answer_over_one_mebibyte_is_refused_whether_or_not_its_length_is_announced(bool announced)
    {
        _server.Handler = async context =>
        {
            context.Response.ContentType = "application/json";
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            if (announced)
            {
                context.Response.ContentLength = 32 * chunk.Length;
            }

            for (var i = 0; i < 32; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        };

        Assert.Equal("The search service's answer is larger than 1048576 bytes.", ToolAssert.Error(await Search("""{"query":"x"}""")));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_to_another_host_is_not_followed(int status)
    {
        await using var elsewhere = await FakeSearchServer.StartAsync();
        _server.Handler = context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = $"http://localhost:{elsewhere.Port}/search?q=stolen&format=json";
            return Task.CompletedTask;
        };

        var text = ToolAssert.Error(await Search("""{"query":"x"}"""));

        Assert.Equal($"The search service answered with a redirect (HTTP {status}), which is not followed.", text);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_an_error_result()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Tool(new Uri($"http://127.0.0.1:{port}/search")).InvokeAsync(ToolAssert.Arguments("query", "x"), ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.Equal("The search service could not be reached. Try again later.", ToolAssert.Error(result));
        Assert.Contains("unreachable", _logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_that_outlasts_the_timeout_is_an_error_result()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Handler = async context =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        var time = new FakeTimeProvider();
        var tool = Tool(time: time);

        var call = tool.InvokeAsync(ToolAssert.Arguments("query", "slow"), ToolAssert.Alice, TestContext.Current.CancellationToken).AsTask();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal("The search service did not answer within 10 seconds.", ToolAssert.Error(result));
    }

    [Fact]
    public async Task A_slow_body_counts_against_the_timeout_too()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Handler = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"results\": [", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        var time = new FakeTimeProvider();
        var tool = Tool(time: time, settings: new() { ["Tools:WebSearch:Timeout"] = "00:00:02.5" });

        var call = tool.InvokeAsync(ToolAssert.Arguments("query", "slow"), ToolAssert.Alice, TestContext.Current.CancellationToken).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken); // let the tool reach the body read
        time.Advance(TimeSpan.FromSeconds(2.5));

        Assert.Equal("The search service did not answer within 2.5 seconds.", ToolAssert.Error(await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_turned_into_a_result()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Handler = async context =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = Tool().InvokeAsync(ToolAssert.Arguments("query", "x"), ToolAssert.Alice, cancellation.Token).AsTask();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task Failures_are_logged_without_the_query()
    {
        _server.Handler = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };

        await Search("""{"query":"my private medical question"}""");

        Assert.Contains("HTTP 503", _logger.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("medical", _logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_definition_takes_a_query_and_never_a_url()
    {
        var definition = Tool().Definition;

        Assert.Equal("web_search", definition.Name);
        var properties = definition.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["query", "count"], properties);
        Assert.True(definition.Annotations!.OpenWorldHint);
        Assert.DoesNotContain(_server.Url.ToString(), definition.Description, StringComparison.Ordinal);
    }

    private Task<CallToolResult> Search(string arguments)
        => Tool().InvokeAsync(ToolAssert.Arguments(arguments), ToolAssert.Alice, TestContext.Current.CancellationToken).AsTask();

    private IGatewayTool Tool(Uri? url = null, TimeProvider? time = null, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Tools:WebSearch:Url"] = (url ?? _server.Url).ToString() });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddLogging();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddGatewayTools();
        builder.Services.AddSingleton<ILogger<WebSearchTool>>(_logger);
        var host = builder.Build();
        _hosts.Add(host);
        Assert.True(host.Services.GetRequiredService<ToolRegistry>().TryGet("web_search", out var tool));
        return tool;
    }
}
