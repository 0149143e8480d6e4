using System.Net;
using System.Text;
using McpGateway.IntegrationTests.Faults;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class OAuthCallbackAttackTests(HostileStack stack, ITestOutputHelper output)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public async Task Hundreds_of_forged_callbacks_get_400_json_and_never_a_session()
    {
        var random = HostileSeed.For(nameof(Hundreds_of_forged_callbacks_get_400_json_and_never_a_session));
        var log = new AttackLog();
        using var attacker = new AttackClient(stack.Gateway.BaseAddress, log);
        var cases = new List<(string Name, HttpMethod Method, string Query, string? Cookie, string? Form)>();
        for (var i = 0; i < 320; i++)
        {
            var state = random.Next(6) switch
            {
                0 => "",
                1 => "CfDJ8" + RandomText(random, random.Next(20, 600)),
                2 => RandomText(random, random.Next(1, 40)),
                3 => Convert.ToBase64String(Encoding.UTF8.GetBytes(RandomText(random, 200))),
                4 => RandomText(random, random.Next(1000, 3000)),
                _ => Uri.EscapeDataString("<script>alert(1)</script>'\"\u0000\u00E9"),
            };
            var parameters = new List<string> { "state=" + Uri.EscapeDataString(state) };
            if (random.Next(5) > 0)
            {
                parameters.Add("code=" + Uri.EscapeDataString(RandomText(random, random.Next(0, 80))));
            }

            switch (random.Next(4))
            {
                case 0:
                    parameters.Add("iss=" + Uri.EscapeDataString(stack.Provider.Issuer));
                    break;
                case 1:
                    parameters.Add("iss=" + Uri.EscapeDataString("https://evil.example"));
                    break;
            }

            if (random.Next(6) == 0)
            {
                parameters.Add("error=access_denied&error_description=" + Uri.EscapeDataString(RandomText(random, 30)));
            }

            if (random.Next(8) == 0)
            {
                parameters.Add("state=" + Uri.EscapeDataString(RandomText(random, 30)));
            }

            var cookie = random.Next(3) switch
            {
                0 => null,
                1 => $".AspNetCore.Correlation.{RandomText(random, 43)}=N; .AspNetCore.OpenIdConnect.Nonce.{RandomText(random, 60)}=N",
                _ => $".AspNetCore.Correlation.{Uri.EscapeDataString(state)}=N",
            };
            var query = string.Join('&', parameters);
            var post = random.Next(5) == 0;
            cases.Add(($"{(post ? "POST" : "GET")} /signin-oidc?{OpenRedirectTests.Show(query)}", post ? HttpMethod.Post : HttpMethod.Get,
                post ? "" : "?" + query, cookie, post ? query : null));
        }

        cases.Add(("GET /signin-oidc without parameters", HttpMethod.Get, "", null, null));
        cases.Add(("POST /signin-oidc with a JSON body", HttpMethod.Post, "", null, "{\"state\":\"x\",\"code\":\"y\"}"));
        cases.Add(("GET /signin-oidc?error=access_denied", HttpMethod.Get, "?error=access_denied", null, null));
        cases.Add(("GET /signout-callback-oidc?state=forged", HttpMethod.Get, "?state=forged", null, null));

        await Bystander.DuringAsync(stack, output, async () =>
        {
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (attack, _) =>
            {
                var path = attack.Name.Contains("signout", StringComparison.Ordinal) ? "/signout-callback-oidc" : "/signin-oidc";
                using var request = new HttpRequestMessage(attack.Method, path + attack.Query);
                if (attack.Form is not null)
                {
                    request.Content = new StringContent(attack.Form, Encoding.UTF8, attack.Form.StartsWith('{') ? "application/json" : "application/x-www-form-urlencoded");
                }

                if (attack.Cookie is not null)
                {
                    request.Headers.TryAddWithoutValidation("Cookie", attack.Cookie);
                }

                var (response, body) = await attacker.SendAsync(attack.Name, request);
                using (response)
                {
                    if (GivesSession(response))
                    {
                        log.Violation(attack.Name, "a session cookie was set");
                    }

                    var acceptable = response.StatusCode == HttpStatusCode.BadRequest && LoadJournal.ErrorCodeOf(body) == "invalid_request"
                        || (int)response.StatusCode is 414 or 431
                        || ((int)response.StatusCode is 200 or 302 && path == "/signout-callback-oidc");
                    if (!acceptable)
                    {
                        log.Violation(attack.Name, $"answered {(int)response.StatusCode}: {body}");
                    }
                }
            });
        });

        output.WriteLine($"{log.Cases} forged callbacks {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync());
    }

    [Fact]
    public async Task Replayed_stolen_injected_and_tampered_callbacks_of_real_sign_ins_never_give_anyone_a_session_they_should_not_have()
    {
        var log = new AttackLog();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var victimName = "victim-" + suffix;
        var attackerName = "mallory-" + suffix;

        await Bystander.DuringAsync(stack, output, async () =>
        {
            // 1. A used callback, replayed by the same browser and by another: refused; the first session is untouched.
            using (var victim = stack.Gateway.CreateBrowser())
            using (var thief = stack.Gateway.CreateBrowser())
            {
                var callback = await OAuthFlow.AuthorizeAsync(victim, victimName, "/home");
                using var first = await victim.GetAsync(callback.AbsoluteUri);
                Assert.Equal("/home", first.Headers.Location?.OriginalString);
                var cookie = HostileStack.CookieOf(victim);
                await ExpectRefusedAsync(log, victim, callback, "/home", "the used callback replayed by the same browser");
                await ExpectRefusedAsync(log, thief, callback, "/home", "the used callback replayed by another browser");
                Assert.Equal(cookie, HostileStack.CookieOf(victim));
                await victim.AssertSignedInAsync(victimName);
                Log(log, "replays", thief);
            }

            // 2. A stolen, unused callback is useless without the browser's correlation cookie, and does not burn the code.
            using (var victim = stack.Gateway.CreateBrowser())
            using (var thief = stack.Gateway.CreateBrowser())
            {
                var callback = await OAuthFlow.AuthorizeAsync(victim, victimName, "/stolen");
                await ExpectRefusedAsync(log, thief, callback, "/stolen", "a stolen unused callback");
                using var genuine = await victim.GetAsync(callback.AbsoluteUri);
                Assert.Equal("/stolen", genuine.Headers.Location?.OriginalString);
                await victim.AssertSignedInAsync(victimName);
                Log(log, "stolen callback", thief);
            }

            // 3. The genuine state with a forged code, an error, a tampered correlation cookie, no nonce cookie: no session.
            using (var victim = stack.Gateway.CreateBrowser())
            {
                var callback = await OAuthFlow.AuthorizeAsync(victim, victimName, "/forged");
                await ExpectFailedSignInAsync(log, victim, OAuthFlow.With(callback, "code", "forged-" + suffix), "/forged", "login_failed", "a forged code with the genuine state");
            }

            using (var victim = stack.Gateway.CreateBrowser())
            {
                var callback = await OAuthFlow.AuthorizeAsync(victim, victimName, "/denied");
                var denied = OAuthFlow.With(OAuthFlow.With(callback, "code", null), "error", "access_denied");
                await ExpectFailedSignInAsync(log, victim, denied, "/denied", "access_denied", "access_denied with the genuine state");
            }

            using (var victim = stack.Gateway.CreateBrowser())
            {
                var callback = await OAuthFlow.AuthorizeAsync(victim, victimName, "/");
                var correlations = CookiesOf(victim, ".AspNetCore.Correlation");
                Assert.NotEmpty(correlations);
                foreach (var correlation in correlations)
                {
                    victim.Cookies.Add(new Cookie(correlation.Name, "tampered", correlation.Path, correlation.Domain));
                }

                await ExpectRefusedAsync(log, victim, callback, "/", "the genuine callback with a tampered correlation cookie");
            }

            using (var victim = stack.Gateway.CreateBrowser())
            {
                var callback = await OAuthFlow.AuthorizeAsync(victim, victimName, "/nonce");
                var nonces = CookiesOf(victim, ".AspNetCore.OpenIdConnect.Nonce");
                Assert.NotEmpty(nonces);
                foreach (var nonce in nonces)
                {
                    victim.Cookies.Add(new Cookie(nonce.Name, "", nonce.Path, nonce.Domain) { Expired = true });
                }

                Assert.Empty(CookiesOf(victim, ".AspNetCore.OpenIdConnect.Nonce"));

                await ExpectFailedSignInAsync(log, victim, callback, "/nonce", "login_failed", "the genuine callback without its nonce cookie");
            }

            // 4. Code injection: the attacker's code in the victim's callback (and the victim's in the attacker's). PKCE binds a code to
            // the browser that asked for it, so neither signs anyone in, least of all as the other.
            using (var victim = stack.Gateway.CreateBrowser())
            using (var mallory = stack.Gateway.CreateBrowser())
            {
                var victims = await OAuthFlow.AuthorizeAsync(victim, victimName, "/injected");
                var mallorys = await OAuthFlow.AuthorizeAsync(mallory, attackerName, "/injected");
                await ExpectFailedSignInAsync(log, victim, OAuthFlow.With(victims, "code", OAuthFlow.Parameter(mallorys, "code")), "/injected", "login_failed",
                    "the attacker's code injected into the victim's callback");
                await ExpectFailedSignInAsync(log, mallory, OAuthFlow.With(mallorys, "code", OAuthFlow.Parameter(victims, "code")), "/injected", "login_failed",
                    "the victim's code injected into the attacker's callback");
                Log(log, "code injection", mallory);
            }
        });

        output.WriteLine($"{log.Cases} attacks on real sign-ins.");
        log.AssertClean(await stack.SecretsAsync());
    }

    [Fact]
    public async Task A_callback_whose_iss_is_not_the_providers_is_refused()
    {
        var log = new AttackLog();
        foreach (var (iss, name) in new[] { ("https://evil.example", "another issuer"), ((string?)null, "no iss") })
        {
            using var browser = stack.Gateway.CreateBrowser();
            var callback = await OAuthFlow.AuthorizeAsync(browser, "iss-" + Guid.NewGuid().ToString("N")[..6], "/iss");
            log.CountCase();
            using var response = await browser.GetAsync(OAuthFlow.With(callback, "iss", iss).AbsoluteUri);
            if (GivesSession(response) || response.Headers.Location?.OriginalString == "/iss")
            {
                log.Violation("callback with " + name, $"signed in: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        log.AssertClean(await stack.SecretsAsync());
    }

    /// <summary>
    /// The callback must not sign anyone in: 400 invalid_request, or (the state itself being genuine) the way back to its page
    /// with auth_error=login_failed; the browser's session cookie, if it had one, stays as it was.
    /// </summary>
    private static async Task ExpectRefusedAsync(AttackLog log, Browser browser, Uri callback, string returnUrl, string name)
    {
        log.CountCase();
        var before = SessionCookieOf(browser);
        using var response = await browser.GetAsync(callback.AbsoluteUri);
        var body = await response.Content.ReadAsStringAsync();
        var refused = response.StatusCode == HttpStatusCode.BadRequest && LoadJournal.ErrorCodeOf(body) == "invalid_request"
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == returnUrl + "?auth_error=login_failed");
        if (!refused)
        {
            log.Violation(name, $"answered {(int)response.StatusCode} {response.Headers.Location}: {body}");
        }

        if (GivesSession(response) || SessionCookieOf(browser) != before)
        {
            log.Violation(name, "the session cookie changed");
        }
    }

    private static async Task ExpectFailedSignInAsync(AttackLog log, Browser browser, Uri callback, string returnUrl, string error, string name)
    {
        log.CountCase();
        using var response = await browser.GetAsync(callback.AbsoluteUri);
        var expected = $"{returnUrl}?auth_error={error}";
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != expected)
        {
            log.Violation(name, $"answered {(int)response.StatusCode} {response.Headers.Location} instead of a redirect to {expected}");
        }

        if (GivesSession(response) || SessionCookieOf(browser) is not null)
        {
            log.Violation(name, "a session cookie was set");
        }

        using var session = await browser.GetAsync("/auth/session");
        if (session.StatusCode != HttpStatusCode.Unauthorized)
        {
            log.Violation(name, $"signed in afterwards: {await session.Content.ReadAsStringAsync()}");
        }
    }

    private static void Log(AttackLog log, string name, Browser attacker) => log.Http(name, 0, attacker.EverythingFromGateway);

    private static List<Cookie> CookiesOf(Browser browser, string prefix)
        => [.. browser.Cookies.GetAllCookies().Where(cookie => cookie.Name.StartsWith(prefix, StringComparison.Ordinal) && !cookie.Expired)];

    private static string? SessionCookieOf(Browser browser) => browser.GatewayCookie(SessionCookie.DevelopmentName)?.Value;

    /// <summary>Whether the answer sets a (non-empty, unexpired) session cookie.</summary>
    private static bool GivesSession(HttpResponseMessage response)
        => response.Headers.TryGetValues("Set-Cookie", out var cookies)
           && cookies.Any(cookie => cookie.StartsWith(SessionCookie.DevelopmentName + "=", StringComparison.Ordinal)
                                    && !cookie.StartsWith(SessionCookie.DevelopmentName + "=;", StringComparison.Ordinal)
                                    && !cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));

    private static string RandomText(Random random, int length)
        => new([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
}
