using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A hostile or broken "MCP server" on 127.0.0.1 for discovery's bad-input tests: each path answers what a test set
/// (status, content type, body, headers), so one stand-in can play a server whose metadata names another resource,
/// an authorization server off the allow-list, an oversized or malformed document, or an unreachable authorization server.
/// </summary>
internal sealed class MetadataStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Reply> _answers = new(StringComparer.Ordinal);

    private MetadataStandIn(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<MetadataStandIn> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ApplicationName = nameof(MetadataStandIn) });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var standIn = new MetadataStandIn(app, new Uri($"http://127.0.0.1:{port}"));
        app.Run(async context =>
        {
            if (!standIn._answers.TryGetValue(context.Request.Path.Value ?? "", out var answer))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = answer.ContentType;
            await context.Response.WriteAsync(answer.Body);
        });
        await app.StartAsync();
        return standIn;
    }

    public Uri Url(string path) => new(BaseAddress, path);

    public void Answer(string path, int status, string body, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null)
        => _answers[path] = new Reply(status, body, contentType, headers ?? new Dictionary<string, string>());

    /// <summary>An MCP endpoint at <c>/{name}/mcp</c> that answers 401 pointing at <c>/{name}/prm</c>, which answers <paramref name="metadata"/>.</summary>
    public Uri ProtectedServer(string name, string metadata, string contentType = "application/json")
    {
        Answer($"/{name}/mcp", StatusCodes.Status401Unauthorized, """{"error":"invalid_token"}""",
            headers: new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer resource_metadata=\"{Url($"/{name}/prm")}\"" });
        Answer($"/{name}/prm", StatusCodes.Status200OK, metadata, contentType);
        return Url($"/{name}/mcp");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Reply(int Status, string Body, string ContentType, IReadOnlyDictionary<string, string> Headers);
}
