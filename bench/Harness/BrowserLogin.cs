using System.Net;
using System.Text.RegularExpressions;

namespace Bench;

/// <summary>
/// Signs in to the gateway the way a browser does: /auth/login, the provider's login and consent forms
/// (the dev provider takes any name and password), back to /signin-oidc. The result is the session
/// cookie the load tools send.
/// </summary>
internal static partial class BrowserLogin
{
    public const string CookieName = "mcpgw";

    public static async Task<CookieContainer> SignInAsync(Uri gateway, string user)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var response = await http.GetAsync(new Uri(gateway, "/auth/login?returnUrl=%2F"));
        for (var step = 0; step < 20; step++)
        {
            var at = response.RequestMessage!.RequestUri!;
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = new Uri(at, location);
                if (next.Authority == gateway.Authority && !next.AbsolutePath.StartsWith("/signin-oidc", StringComparison.Ordinal))
                {
                    return Cookie(cookies, gateway) is null
                        ? throw new InvalidOperationException("The sign-in ended without a session cookie.")
                        : cookies;
                }

                response.Dispose();
                response = await http.GetAsync(next);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            var form = FormAction().Match(html);
            if (response.StatusCode != HttpStatusCode.OK || !form.Success)
            {
                throw new InvalidOperationException($"The sign-in stopped at {at} with HTTP {(int)response.StatusCode}: {html[..Math.Min(300, html.Length)]}");
            }

            var fields = HiddenInput().Matches(html)
                .Select(hidden => KeyValuePair.Create(hidden.Groups["name"].Value, WebUtility.HtmlDecode(hidden.Groups["value"].Value)))
                .ToList();
            if (html.Contains("name=\"login\"", StringComparison.Ordinal))
            {
                fields.Add(KeyValuePair.Create("login", user));
                fields.Add(KeyValuePair.Create("password", "bench"));
            }

            response.Dispose();
            response = await http.PostAsync(new Uri(at, WebUtility.HtmlDecode(form.Groups["action"].Value)), new FormUrlEncodedContent(fields));
        }

        throw new InvalidOperationException("The sign-in did not finish within 20 steps.");
    }

    /// <summary>The <c>Cookie</c> header value a browser sends to the gateway.</summary>
    public static string CookieHeader(CookieContainer cookies, Uri gateway) => cookies.GetCookieHeader(gateway);

    private static Cookie? Cookie(CookieContainer cookies, Uri gateway)
        => cookies.GetCookies(gateway).FirstOrDefault(cookie => cookie.Name == CookieName);

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
