using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// What a browser does over HTTP: a cookie jar that honours paths, redirects followed one by one,
/// and the provider's login and consent forms filled in. Everything the gateway sent it is recorded,
/// so a test can check that no token ever reached the browser.
/// </summary>
internal sealed partial class Browser : IDisposable
{
    private readonly HttpClient _http;
    private readonly List<string> _fromGateway = [];

    public Browser(Uri gateway)
    {
        Gateway = gateway;
        Handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies };
        _http = new HttpClient(Handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Gateway { get; }

    public CookieContainer Cookies { get; } = new();

    public HttpClientHandler Handler { get; }

    /// <summary>Status lines, headers and bodies of every gateway response, as the browser received them.</summary>
    public string EverythingFromGateway
    {
        get
        {
            lock (_fromGateway)
            {
                return string.Join("\n", _fromGateway);
            }
        }
    }

    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, Resolve(url)));

    /// <summary>A same-origin fetch() with the CSRF header, as the frontend sends state-changing calls.</summary>
    public Task<HttpResponseMessage> PostAsync(string url, HttpContent? content = null, bool csrfHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Resolve(url)) { Content = content };
        if (csrfHeader)
        {
            request.Headers.Add("X-CSRF", "1");
        }

        return SendAsync(request);
    }

    /// <summary>A same-origin fetch(url, {method: 'DELETE'}) with the CSRF header.</summary>
    public Task<HttpResponseMessage> DeleteAsync(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, Resolve(url));
        request.Headers.Add("X-CSRF", "1");
        return SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var response = await _http.SendAsync(request);
        if (request.RequestUri!.Authority == Gateway.Authority)
        {
            await response.Content.LoadIntoBufferAsync();
            var body = await response.Content.ReadAsStringAsync();
            lock (_fromGateway)
            {
                _fromGateway.Add($"{request.Method} {request.RequestUri} -> {(int)response.StatusCode}\n{response.Headers}{response.Content.Headers}\n{body}");
            }
        }

        return response;
    }

    /// <summary>
    /// Signs in through the gateway: /auth/login, the provider's login form (any password), its consent
    /// form, and back to /signin-oidc. Returns the gateway's final answer (the redirect to returnUrl).
    /// </summary>
    public async Task<HttpResponseMessage> LoginAsync(string user, string returnUrl = "/")
        => await ThroughProviderAsync(await GetAsync("/auth/login?returnUrl=" + Uri.EscapeDataString(returnUrl)), user, "/signin-oidc", followCallback: true);

    /// <summary>
    /// Authorizes a connector at its own provider: from the authorization URL the gateway answered, through that provider's
    /// login and consent forms, to the gateway's connector callback. With <paramref name="followCallback"/> false it stops
    /// at the provider's redirect to the callback (the response whose Location holds code and state), so a test can
    /// replay or hand that URL to someone else.
    /// </summary>
    public async Task<HttpResponseMessage> AuthorizeConnectorAsync(string authorizationUrl, string user, bool followCallback = true)
        => await ThroughProviderAsync(await GetAsync(authorizationUrl), user, "/connectors/", followCallback);

    private async Task<HttpResponseMessage> ThroughProviderAsync(HttpResponseMessage response, string user, string callbackPrefix, bool followCallback)
    {
        for (var step = 0; step < 20; step++)
        {
            var requestUri = response.RequestMessage!.RequestUri!;
            if (IsRedirect(response))
            {
                var next = new Uri(requestUri, response.Headers.Location!);
                var isCallback = next.Authority == Gateway.Authority && next.AbsolutePath.StartsWith(callbackPrefix, StringComparison.Ordinal);
                if (next.Authority == Gateway.Authority && (!isCallback || !followCallback))
                {
                    return response;
                }

                response = await GetAsync(next.AbsoluteUri);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            var form = FormAction().Match(html);
            if (response.StatusCode != HttpStatusCode.OK || !form.Success)
            {
                return response;
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (Match hidden in HiddenInput().Matches(html))
            {
                fields.Add(KeyValuePair.Create(hidden.Groups["name"].Value, WebUtility.HtmlDecode(hidden.Groups["value"].Value)));
            }

            if (html.Contains("name=\"login\"", StringComparison.Ordinal))
            {
                fields.Add(KeyValuePair.Create("login", user));
                fields.Add(KeyValuePair.Create("password", "any-password"));
            }

            var action = new Uri(requestUri, WebUtility.HtmlDecode(form.Groups["action"].Value));
            response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) });
        }

        throw new InvalidOperationException("The provider's pages did not lead back to the gateway within 20 steps.");
    }

    /// <summary>Follows redirects like a browser navigation, filling a confirmation form if one is shown (e.g. the provider's logout page).</summary>
    public async Task<HttpResponseMessage> NavigateAsync(string url, string? confirmButton = null)
    {
        var response = await GetAsync(url);
        for (var step = 0; step < 20; step++)
        {
            if (IsRedirect(response))
            {
                response = await GetAsync(new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!).AbsoluteUri);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            var form = FormAction().Match(html);
            if (confirmButton is null || !form.Success)
            {
                return response;
            }

            var fields = HiddenInput().Matches(html)
                .Select(hidden => KeyValuePair.Create(hidden.Groups["name"].Value, WebUtility.HtmlDecode(hidden.Groups["value"].Value)))
                .Append(KeyValuePair.Create(confirmButton, "yes"))
                .ToList();
            confirmButton = null;
            var action = new Uri(response.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(form.Groups["action"].Value));
            response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) });
        }

        throw new InvalidOperationException("The navigation did not finish within 20 steps.");
    }

    public Cookie? GatewayCookie(string name) => Cookies.GetCookies(Gateway).FirstOrDefault(cookie => cookie.Name == name);

    public void Dispose() => _http.Dispose();

    private Uri Resolve(string url) => new(Gateway, url);

    private static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is not null;

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
