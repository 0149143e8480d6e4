using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace McpGateway.Tests.Tools.WebSearch;

/// <summary>
/// A SearXNG stand-in on real Kestrel, 127.0.0.1, port 0. Answers every request with <see cref="Handler"/>
/// (by default eight deterministic results) and remembers what it was sent.
/// </summary>
internal sealed class FakeSearchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeSearchServer(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedSearch> Requests { get; } = new();

    public Func<HttpContext, Task> Handler { get; set; } = context => Results(context, 8);

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/search");

    public static async Task<FakeSearchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeSearchServer(app);
        app.Run(context =>
        {
            var query = context.Request.Query;
            server.Requests.Enqueue(new ReceivedSearch(
                context.Request.Method,
                context.Request.Path,
                context.Request.QueryString.Value ?? "",
                query["q"].ToString(),
                query["format"].ToString(),
                context.Request.Headers.Cookie.ToString(),
                context.Request.Headers.Authorization.ToString(),
                context.Request.Headers.UserAgent.ToString(),
                context.Request.Headers.Accept.ToString()));
            return server.Handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>Answers <paramref name="count"/> results derived from the query, like deploy/dev/search-upstream.mjs.</summary>
    public static Task Results(HttpContext context, int count)
    {
        var q = context.Request.Query["q"].ToString();
        return Json(context, new
        {
            query = q,
            results = Enumerable.Range(1, count).Select(i => new
            {
                title = $"Result {i} for {q}",
                url = $"https://example.com/search/{i}",
                content = $"Snippet {i} about <b>{WebUtility.HtmlEncode(q)}</b>.",
            }),
        });
    }

    public static Task Json(HttpContext context, object body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
