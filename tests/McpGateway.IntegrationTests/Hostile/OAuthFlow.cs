using System.Net;
using System.Text.RegularExpressions;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// A sign-in taken apart: started at the gateway, carried through the provider's login and consent
/// forms, and stopped at the provider's redirect back to <c>/signin-oidc</c>, so that a test holds a
/// genuine callback URL (state, code, iss) to replay, tamper with or hand to someone else.
/// </summary>
internal static partial class OAuthFlow
{
    /// <returns>The callback URL the provider sent the browser to, not yet followed.</returns>
    public static async Task<Uri> AuthorizeAsync(Browser browser, string user, string returnUrl = "/")
    {
        using var started = await browser.GetAsync("/auth/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        if (started.StatusCode != HttpStatusCode.Found || started.Headers.Location is null)
        {
            throw new InvalidOperationException($"/auth/login answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        }

        return await FollowToCallbackAsync(browser, started.Headers.Location, user);
    }

    public static async Task<Uri> FollowToCallbackAsync(Browser browser, Uri authorize, string user)
    {
        var response = await browser.GetAsync(authorize.AbsoluteUri);
        for (var step = 0; step < 20; step++)
        {
            var requestUri = response.RequestMessage!.RequestUri!;
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = new Uri(requestUri, location);
                response.Dispose();
                if (next.Authority == browser.Gateway.Authority)
                {
                    return next;
                }

                response = await browser.GetAsync(next.AbsoluteUri);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            var form = FormAction().Match(html);
            if (response.StatusCode != HttpStatusCode.OK || !form.Success)
            {
                throw new InvalidOperationException($"the provider answered {(int)response.StatusCode} without a form: {html[..Math.Min(html.Length, 300)]}");
            }

            var fields = HiddenInput().Matches(html)
                .Select(hidden => KeyValuePair.Create(hidden.Groups["name"].Value, WebUtility.HtmlDecode(hidden.Groups["value"].Value)))
                .ToList();
            if (html.Contains("name=\"login\"", StringComparison.Ordinal))
            {
                fields.Add(KeyValuePair.Create("login", user));
                fields.Add(KeyValuePair.Create("password", "any-password"));
            }

            var action = new Uri(requestUri, WebUtility.HtmlDecode(form.Groups["action"].Value));
            response.Dispose();
            response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) });
        }

        throw new InvalidOperationException("The provider did not redirect back within 20 steps.");
    }

    /// <summary>The callback URL with one query parameter replaced (or removed when <paramref name="value"/> is null).</summary>
    public static Uri With(Uri callback, string name, string? value)
    {
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)
            .Where(pair => pair.Key != name)
            .Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value.ToString()))
            .ToList();
        if (value is not null)
        {
            parameters.Add(KeyValuePair.Create(name, (string?)value));
        }

        return new Uri(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(callback.GetLeftPart(UriPartial.Path), parameters));
    }

    public static string Parameter(Uri callback, string name)
        => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)[name].ToString();

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
