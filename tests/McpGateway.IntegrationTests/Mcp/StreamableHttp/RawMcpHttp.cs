using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

/// <summary>
/// Hand-made Streamable HTTP requests to the gateway's /mcp, with the browser's cookies (or none), for
/// the cases a well-behaved SDK client never produces.
/// </summary>
internal sealed class RawMcpHttp : IDisposable
{
    public const string BothTypes = "application/json, text/event-stream";
    private readonly HttpClient _http;

    /// <param name="browser">Whose cookies the requests carry.</param>
    /// <param name="replica">Another gateway replica to send to (the browser's cookies are for its host, as on one site behind a load balancer).</param>
    public RawMcpHttp(Browser browser, Uri? replica = null)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies, UseCookies = true }) { BaseAddress = replica ?? browser.Gateway, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string? SessionId { get; set; }

    public Task<HttpResponseMessage> PostAsync(string body, string accept = BothTypes, string contentType = "application/json", Action<HttpRequestMessage>? adjust = null)
        => SendPostAsync(body, HttpCompletionOption.ResponseContentRead, accept, contentType, adjust);

    /// <summary>A POST whose answer may be read as it streams (<see cref="HttpCompletionOption.ResponseHeadersRead"/>).</summary>
    public Task<HttpResponseMessage> SendPostAsync(string body, HttpCompletionOption completion, string accept = BothTypes, string contentType = "application/json", Action<HttpRequestMessage>? adjust = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (SessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", SessionId);
            request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        }

        adjust?.Invoke(request);
        return _http.SendAsync(request, completion);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, Action<HttpRequestMessage>? adjust = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(method, "/mcp");
        if (SessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", SessionId);
        }

        adjust?.Invoke(request);
        return _http.SendAsync(request, completion);
    }

    /// <summary>Opens a session: initialize, then notifications/initialized.</summary>
    public async Task<string> InitializeAsync()
    {
        using var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        SessionId = response.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, initialized.StatusCode);
        return SessionId;
    }

    /// <summary>The JSON-RPC message of an answer: the JSON body, or the last event of an event stream.</summary>
    public static async Task<JsonElement> MessageAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            body = body.Split('\n').Last(line => line.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        }

        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<int> ErrorCodeAsync(HttpResponseMessage response)
        => (await MessageAsync(response)).GetProperty("error").GetProperty("code").GetInt32();

    public void Dispose() => _http.Dispose();
}
