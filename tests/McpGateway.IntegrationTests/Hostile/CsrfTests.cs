using System.Net;
using System.Net.Http.Json;
using System.Text;
using McpGateway.IntegrationTests.Faults;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class CsrfTests(HostileStack stack, ITestOutputHelper output)
{
    /// <summary>X-CSRF headers that are not exactly one <c>X-CSRF: 1</c>: each entry is the header lines sent.</summary>
    private static readonly (string Name, string Value)[][] WrongHeaders =
    [
        [],
        [("X-CSRF", "")], [("X-CSRF", "0")], [("X-CSRF", "true")], [("X-CSRF", "TRUE")], [("X-CSRF", "yes")], [("X-CSRF", "on")],
        [("X-CSRF", "2")], [("X-CSRF", "01")], [("X-CSRF", "1.0")], [("X-CSRF", "+1")], [("X-CSRF", "-1")], [("X-CSRF", "1e0")],
        [("X-CSRF", "0x1")], [("X-CSRF", "null")], [("X-CSRF", "undefined")], [("X-CSRF", "\"1\"")], [("X-CSRF", "'1'")], [("X-CSRF", "%31")],
        [("X-CSRF", "MQ==")], [("X-CSRF", "1;")], [("X-CSRF", "1 1")], [("X-CSRF", "1,1")], [("X-CSRF", "1, 1")], [("X-CSRF", "11")],
        [("X-CSRF", "l")], [("X-CSRF", "I")], [("X-CSRF", "\uFF11")], [("X-CSRF", "1\u0000")],
        [("X-CSRF", "1"), ("X-CSRF", "1")], [("X-CSRF", "1"), ("X-CSRF", "0")], [("X-CSRF", "0"), ("X-CSRF", "1")], [("X-CSRF", "1"), ("X-CSRF", "")],
        [("X-CSRF-Token", "1")], [("X-Csrf-Header", "1")], [("X_CSRF", "1")], [("XCSRF", "1")], [("CSRF", "1")], [("X-XSRF-TOKEN", "1")],
        [("X-Requested-With", "XMLHttpRequest")], [("X-CSRF ", "1")], [("X-CSRF\t", "1")], [("X-CSR", "1")], [("X-CSRFF", "1")],
    ];

    private static readonly string[] ContentTypes =
        ["application/json", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"];

    [Fact]
    public async Task State_changing_calls_without_exactly_x_csrf_1_are_refused_with_403_and_change_nothing()
    {
        var random = HostileSeed.For(nameof(State_changing_calls_without_exactly_x_csrf_1_are_refused_with_403_and_change_nothing));
        var user = "csrf-" + Guid.NewGuid().ToString("N")[..6];
        using var victim = await stack.SignInAsync(user);
        var cookie = $"mcpgw={HostileStack.CookieOf(victim)}";
        using (var created = await victim.PostAsync("/api/conversations/kept/contexts", JsonContent.Create(new { content = "must survive" })))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var keptId = (await (await victim.GetAsync("/api/conversations/kept/contexts")).JsonAsync()).GetProperty("contexts")[0].GetProperty("id").GetString();
        (string Method, string Target, string Body)[] endpoints =
        [
            ("POST", "/api/conversations/forged/contexts", """{"content":"forged"}"""),
            ("DELETE", $"/api/conversations/kept/contexts/{keptId}", ""),
            ("POST", "/api/tools/calculator/call", """{"arguments":{"expression":"1+1"}}"""),
            ("POST", "/api/tools/echo/call", """{"arguments":{"message":"forged"}}"""),
            ("POST", "/api/v2/chat", """{"messages":[{"role":"user","content":"forged"}]}"""),
            ("POST", "/auth/logout", ""),
        ];
        var cases = new List<(string Name, string Method, string Target, byte[]? Body, (string, string)[] Headers)>();
        foreach (var (method, target, body) in endpoints)
        {
            foreach (var headers in WrongHeaders.Concat(Enumerable.Range(0, 25).Select(_ => new[] { ("X-CSRF", RandomValue(random)) })))
            {
                var contentType = ContentTypes[random.Next(ContentTypes.Length)];
                var extra = random.Next(3) switch
                {
                    0 => new[] { ("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site") },
                    1 => [("Referer", "https://evil.example/page")],
                    _ => [],
                };
                var lines = headers.Concat(extra).Append(("Cookie", cookie)).ToList();
                if (body.Length > 0)
                {
                    lines.Add(("Content-Type", contentType));
                }

                cases.Add(($"{method} {target} with [{string.Join("; ", headers.Select(h => $"{h.Item1}: {OpenRedirectTests.Show(h.Item2)}"))}] {contentType}",
                    method, target, body.Length > 0 ? Encoding.UTF8.GetBytes(body) : null, [.. lines]));
            }
        }

        var log = new AttackLog();
        var audited = (await stack.Chat.AuditAsync()).Length;
        await Bystander.DuringAsync(stack, output, async () =>
        {
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (attack, _) =>
            {
                log.CountCase();
                var response = await RawHttp.SendAsync(stack.Gateway.BaseAddress, attack.Method, attack.Target, attack.Headers, attack.Body);
                log.Http(attack.Name, response.Status, response.Everything);
                // 403 csrf_header_missing; or Kestrel's 400 for a malformed header line; or, for a body that is not JSON where the
                // endpoint only accepts JSON, no endpoint matches and the JSON fallback answers 404.
                var refused = response.Status switch
                {
                    403 => LoadJournal.ErrorCodeOf(response.Body) == "csrf_header_missing",
                    404 => LoadJournal.ErrorCodeOf(response.Body) == "not_found" && !attack.Name.EndsWith("application/json", StringComparison.Ordinal),
                    400 => true,
                    _ => false,
                };
                if (!refused)
                {
                    log.Violation(attack.Name, $"answered {response.Status} instead of 403 csrf_header_missing: {response.Body}");
                }
            });

            // Other ways to change state without the header: a GET, a method override, and a CORS preflight the gateway must not grant.
            foreach (var (method, target, headers) in new (string, string, (string, string)[])[]
            {
                ("GET", "/auth/logout", []),
                ("GET", "/api/v2/chat", []),
                ("POST", "/api/conversations/forged/contexts?_method=POST", [("X-HTTP-Method-Override", "POST")]),
                ("GET", $"/api/conversations/kept/contexts/{keptId}", [("X-HTTP-Method-Override", "DELETE"), ("X-Method-Override", "DELETE")]),
                ("OPTIONS", "/api/v2/chat", [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "x-csrf,content-type")]),
                ("OPTIONS", "/auth/logout", [("Origin", "null"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "x-csrf")]),
            })
            {
                var name = $"{method} {target} [{string.Join("; ", headers.Select(h => h.Item1 + ": " + h.Item2))}]";
                log.CountCase();
                var response = await RawHttp.SendAsync(stack.Gateway.BaseAddress, method, target, headers.Append(("Cookie", cookie)), method == "POST" ? [] : null);
                log.Http(name, response.Status, response.Everything);
                if (response.Status is >= 200 and < 300 || response.Head.Contains("Access-Control-Allow", StringComparison.OrdinalIgnoreCase))
                {
                    log.Violation(name, $"answered {response.Status}: {response.Head}");
                }
            }
        });

        output.WriteLine($"{log.Cases} forged state-changing calls {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync(victim));

        // Nothing changed: the victim is signed in, its context is there, nothing was stored, the chat server saw none of it.
        await victim.AssertSignedInAsync(user);
        var kept = await (await victim.GetAsync("/api/conversations/kept/contexts")).JsonAsync();
        Assert.Equal(keptId, Assert.Single(kept.GetProperty("contexts").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(0, (await (await victim.GetAsync("/api/conversations/forged/contexts")).JsonAsync()).GetProperty("contexts").GetArrayLength());
        Assert.DoesNotContain((await stack.Chat.AuditAsync()).Skip(audited), entry => entry.GetProperty("sub").GetString() == user);
    }

    /// <summary>A printable header value that is not "1" (HTTP trims the spaces around a value, so " 1 " would be "1").</summary>
    private static string RandomValue(Random random)
    {
        while (true)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next(0x21, 0x7F))]);
            if (value != "1")
            {
                return value;
            }
        }
    }
}
