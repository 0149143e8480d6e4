namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// The attacker's HTTP client: no automatic redirects, no cookie jar (cookies are set by hand), every
/// answer recorded in the <see cref="AttackLog"/>.
/// </summary>
internal sealed class AttackClient(Uri gateway, AttackLog log) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = gateway,
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public AttackLog Log => log;

    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(string @case, HttpRequestMessage request)
    {
        log.CountCase();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var response = await _http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            log.Http(@case, response, body);
            return (response, body);
        }
        catch (OperationCanceledException)
        {
            log.Violation(@case, $"no answer within {Timeout.TotalSeconds:F0} s");
            throw;
        }
    }

    public Task<(HttpResponseMessage Response, string Body)> GetAsync(string @case, string url, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        return SendAsync(@case, request);
    }

    public void Dispose() => _http.Dispose();
}
