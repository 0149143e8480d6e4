using System.Collections.Concurrent;
using System.Net;
using McpGateway.IntegrationTests.Faults;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class OpenRedirectTests(HostileStack stack, ITestOutputHelper output)
{
    private const int Generated = 500;

    [Fact]
    public async Task Hundreds_of_hostile_return_urls_are_refused_at_login_and_no_sign_in_ends_off_origin()
    {
        var random = HostileSeed.For(nameof(Hundreds_of_hostile_return_urls_are_refused_at_login_and_no_sign_in_ends_off_origin));
        var values = ReturnUrls.Generate(random, Generated);
        var log = new AttackLog();
        using var attacker = new AttackClient(stack.Gateway.BaseAddress, log);
        var accepted = new ConcurrentBag<string>();
        var refused = 0;

        await Bystander.DuringAsync(stack, output, async () =>
        {
            await Parallel.ForEachAsync(values, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (value, _) =>
            {
                var @case = "returnUrl " + Show(value);
                var (response, body) = await attacker.GetAsync(@case, "/auth/login?returnUrl=" + Uri.EscapeDataString(value));
                using (response)
                {
                    if (Check(log, @case, value, response, body))
                    {
                        accepted.Add(value);
                    }
                    else
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            });

            // The query as an attacker may shape it: raw, repeated, renamed, oversized.
            foreach (var (query, value) in new (string Query, string? Value)[]
            {
                ("returnUrl=//evil.example", "//evil.example"),
                ("returnUrl=%2F%2Fevil.example", "//evil.example"),
                ("returnUrl=%252F%252Fevil.example", "%2F%2Fevil.example"),
                ("returnUrl=/ok&returnUrl=//evil.example", null),
                ("returnUrl=//evil.example&returnUrl=/ok", null),
                ("ReturnUrl=//evil.example", "//evil.example"),
                ("RETURNURL=https://evil.example", "https://evil.example"),
                ("returnUrl=/%0d%0aSet-Cookie:%20mcpgw=x", "/\r\nSet-Cookie: mcpgw=x"),
                ("returnUrl=/" + new string('a', 6000), null),
                ("returnUrl=//" + new string('a', 20000) + ".example", null),
                ("returnUrl", ""),
                ("returnUrl=", ""),
                ("returnUrl[]=//evil.example", null),
            })
            {
                var @case = "raw query " + Show(query);
                var (response, body) = await attacker.GetAsync(@case, "/auth/login?" + query);
                using (response)
                {
                    if ((int)response.StatusCode is 414 or 431 or 400)
                    {
                        continue;
                    }

                    if (response.StatusCode == HttpStatusCode.Found && value is not null && ReturnUrls.LeavesOrigin(value))
                    {
                        log.Violation(@case, "accepted a return URL that leaves the origin");
                    }
                    else if (response.StatusCode == HttpStatusCode.Found && value is null)
                    {
                        // Which of the repeated values was taken is checked by completing the sign-in below.
                        accepted.Add(query);
                    }
                    else if (response.StatusCode != HttpStatusCode.Found)
                    {
                        log.Violation(@case, $"answered {(int)response.StatusCode}: {body}");
                    }
                }
            }

            // Sign in for real with some of the accepted values: the gateway's last redirect must stay on its origin.
            var sample = accepted.Where(value => !value.StartsWith("returnUrl", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).OrderBy(_ => random.Next()).Take(8)
                .Concat(accepted.Where(value => value.StartsWith("returnUrl", StringComparison.Ordinal) && value.Length < 2000))
                .ToList();
            foreach (var value in sample)
            {
                await SignInWithAsync(log, value);
            }
        });

        output.WriteLine($"{values.Count} generated return URLs: {refused} refused, {accepted.Count} accepted; {log.Cases} cases in all {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync());
    }

    [Fact]
    public async Task A_local_return_url_with_non_ascii_characters_survives_the_sign_in()
    {
        var log = new AttackLog();
        foreach (var value in new[] { "/caf\u00E9", "/\u200B/evil.example", "/\uFF0Fevil.example", "/\u3000/x", "/\u00A0/x", "/\u2028x" }.Select(System.Text.RegularExpressions.Regex.Unescape))
        {
            await SignInWithAsync(log, value);
        }

        log.AssertClean(await stack.SecretsAsync());
    }

    [Fact]
    public async Task A_return_url_accepted_at_login_also_fits_through_the_callback()
    {
        var log = new AttackLog();
        using var attacker = new AttackClient(stack.Gateway.BaseAddress, log);
        var value = "/" + new string('a', 6000);
        var (started, _) = await attacker.GetAsync("long returnUrl at login", "/auth/login?returnUrl=" + value);
        if (started.StatusCode == HttpStatusCode.Found)
        {
            await SignInWithAsync(log, value);
        }

        log.AssertClean(await stack.SecretsAsync());
    }

    /// <returns>Whether the gateway accepted the value and started the sign-in.</returns>
    private bool Check(AttackLog log, string @case, string value, HttpResponseMessage response, string body)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.BadRequest:
                if (LoadJournal.ErrorCodeOf(body) != "invalid_request")
                {
                    log.Violation(@case, "400 without the invalid_request JSON error: " + body);
                }

                return false;

            case HttpStatusCode.Found:
                if (response.Headers.Location?.AbsoluteUri.StartsWith(stack.Provider.Issuer + "/", StringComparison.Ordinal) != true)
                {
                    log.Violation(@case, "the sign-in did not go to the authorization server but to " + response.Headers.Location);
                }

                if (ReturnUrls.LeavesOrigin(value))
                {
                    log.Violation(@case, "accepted a return URL that a browser resolves off the gateway's origin");
                }

                return true;

            default:
                log.Violation(@case, $"answered {(int)response.StatusCode}: {body}");
                return false;
        }
    }

    private async Task SignInWithAsync(AttackLog log, string value)
    {
        var @case = "sign-in with returnUrl " + Show(value);
        using var browser = stack.Gateway.CreateBrowser();
        log.CountCase();
        try
        {
            using var final = value.StartsWith("returnUrl", StringComparison.Ordinal)
                ? await SignInWithRawQueryAsync(browser, value)
                : await browser.LoginAsync("redirector", value);
            var location = final.Headers.Location?.OriginalString;
            log.Http(@case, (int)final.StatusCode, browser.EverythingFromGateway);
            if (final.StatusCode != HttpStatusCode.Found || location is null)
            {
                log.Violation(@case, $"the callback answered {(int)final.StatusCode} instead of redirecting: {await final.Content.ReadAsStringAsync()}");
            }
            else if (ReturnUrls.LeavesOrigin(location))
            {
                log.Violation(@case, "the sign-in ended with a redirect off the gateway's origin: " + location);
            }
            else if (location.Contains("auth_error", StringComparison.Ordinal))
            {
                log.Violation(@case, "the sign-in failed: " + location);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or UriFormatException)
        {
            log.Violation(@case, $"the sign-in went astray: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Browser.LoginAsync with a query of the attacker's making instead of an encoded returnUrl.</summary>
    private static async Task<HttpResponseMessage> SignInWithRawQueryAsync(Browser browser, string query)
    {
        using var started = await browser.GetAsync("/auth/login?" + query);
        var callback = await OAuthFlow.FollowToCallbackAsync(browser, started.Headers.Location!, "redirector");
        return await browser.GetAsync(callback.AbsoluteUri);
    }

    internal static string Show(string value)
    {
        var shown = string.Concat(value.Take(120).Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
        return value.Length > 120 ? $"{shown}…({value.Length} chars)" : shown;
    }
}
