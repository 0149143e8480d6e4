using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace McpGateway.Tests.Infrastructure;

/// <summary>An in-process HTTP server stand-in: answers each request with a function and remembers what was sent.</summary>
internal sealed class FakeHttpHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public FakeHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> respond)
        : this((request, _) => Task.FromResult(respond(request)))
    {
    }

    public ConcurrentQueue<SentRequest> Requests { get; } = new();

    public static HttpResponseMessage Json(HttpStatusCode status, string json)
        => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(HttpStatusCode status, string text, string mediaType = "text/plain")
        => new(status) { Content = new StringContent(text, Encoding.UTF8, mediaType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new SentRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body));
        var response = await respond(request, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}

internal sealed record SentRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Body);
