using System.Net;
using System.Text;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Shields one upstream session from three weaknesses of the MCP SDK's HTTP transport (2.4):
/// its GET stream reconnects without pause after a failure (thousands of requests a second), so
/// failing GETs back off; servers that answer an unknown session with 400 instead of 404 are
/// translated to 404, so that the session is seen as expired and re-created; and the DELETE sent
/// when a socket closes gets a short timeout instead of none.
/// </summary>
internal sealed class SessionGuardHandler(TimeProvider time) : DelegatingHandler
{
    private const string SessionHeader = "Mcp-Session-Id";
    private static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(3);
    private int _failedGets;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var isGet = request.Method == HttpMethod.Get;
        var hasSession = request.Headers.Contains(SessionHeader);
        if (isGet && _failedGets > 0)
        {
            await Task.Delay(GetBackoff(_failedGets), time, cancellationToken);
        }

        if (request.Method == HttpMethod.Delete)
        {
            using var timeout = new CancellationTokenSource(DeleteTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            return await base.SendAsync(request, linked.Token);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException) when (isGet)
        {
            if (++_failedGets >= 5 && hasSession)
            {
                // The server is gone for good: let the transport end the session; the bridge opens a new one.
                return SessionExpired(request);
            }

            throw;
        }

        if (isGet)
        {
            _failedGets = response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.MethodNotAllowed ? 0 : _failedGets + 1;
        }

        return hasSession && response.StatusCode == HttpStatusCode.BadRequest
            ? await TranslateUnknownSessionAsync(request, response, cancellationToken)
            : response;
    }

    /// <summary>0.5 s, 1 s, 2 s … up to 30 s between failing GET reconnections.</summary>
    internal static TimeSpan GetBackoff(int failures) => TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, Math.Min(failures - 1, 6))));

    private static async Task<HttpResponseMessage> TranslateUnknownSessionAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (body.Contains("No valid session", StringComparison.OrdinalIgnoreCase) || body.Contains("Session not found", StringComparison.OrdinalIgnoreCase))
        {
            response.Dispose();
            return SessionExpired(request);
        }

        // The body was read: hand the transport an equivalent response.
        var copy = new HttpResponseMessage(response.StatusCode)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, response.Content.Headers.ContentType?.MediaType ?? "application/json"),
        };
        response.Dispose();
        return copy;
    }

    private static HttpResponseMessage SessionExpired(HttpRequestMessage request) => new(HttpStatusCode.NotFound)
    {
        RequestMessage = request,
        Content = new StringContent("""{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}""", Encoding.UTF8, "application/json"),
    };
}
