using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// Talks to the protected MCP server directly with a token, as the bridge will: proof that a token the gateway holds is
/// one the server itself accepts (signature, audience, expiry checked there).
/// </summary>
internal sealed class ProtectedServerClient(Uri server) : IDisposable
{
    private readonly HttpClient _http = new();

    /// <returns>The HTTP status of an initialize with this token (200 when the server accepts it).</returns>
    public async Task<HttpStatusCode> InitializeStatusAsync(string token)
    {
        using var response = await PostAsync(token, null, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""");
        return response.StatusCode;
    }

    /// <summary>initialize, then one tools/call; the text of the tool's first content block.</summary>
    public async Task<string> CallToolAsync(string token, string tool, string arguments = "{}")
    {
        using var initialize = await PostAsync(token, null, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""");
        Assert.Equal(HttpStatusCode.OK, initialize.StatusCode);
        var session = initialize.Headers.GetValues("Mcp-Session-Id").Single();
        using (var initialized = await PostAsync(token, session, """{"jsonrpc":"2.0","method":"notifications/initialized"}"""))
        {
            Assert.True(initialized.IsSuccessStatusCode);
        }

        using var call = await PostAsync(token, session, $$$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}}}""");
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var message = Message(await call.Content.ReadAsStringAsync());
        return message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    /// <summary>initialize, then a tools/call the server refuses before running it; the refusal's status and challenge.</summary>
    public async Task<(HttpStatusCode Status, string? Challenge)> RefusedToolAsync(string token, string tool)
    {
        using var initialize = await PostAsync(token, null, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""");
        var session = initialize.Headers.GetValues("Mcp-Session-Id").Single();
        using var call = await PostAsync(token, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}");
        return (call.StatusCode, call.Headers.WwwAuthenticate.ToString());
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostAsync(string token, string? session, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
        }

        var response = await _http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The JSON-RPC message of a JSON or SSE answer.</summary>
    private static JsonElement Message(string body)
    {
        var json = body.TrimStart().StartsWith('{')
            ? body
            : string.Join("", body.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line[5..].Trim()));
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
