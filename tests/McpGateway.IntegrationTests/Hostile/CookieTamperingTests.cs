using System.Globalization;
using System.Text;
using System.Text.Json;
using McpGateway.IntegrationTests.Faults;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class CookieTamperingTests(HostileStack stack, ITestOutputHelper output)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public async Task Hundreds_of_tampered_session_cookies_never_authenticate_anyone_else_never_fail_and_end_no_session()
    {
        var random = HostileSeed.For(nameof(Hundreds_of_tampered_session_cookies_never_authenticate_anyone_else_never_fail_and_end_no_session));
        var attackerName = "tamper-" + Guid.NewGuid().ToString("N")[..6];
        using var attacker = await stack.SignInAsync(attackerName);
        var own = HostileStack.CookieOf(attacker);
        var victim = HostileStack.CookieOf(stack.Bystander);
        var cases = Generate(random, own, victim, attackerName, stack.BystanderName);
        var log = new AttackLog();
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();

        await Bystander.DuringAsync(stack, output, async () =>
        {
            await Parallel.ForEachAsync(cases.Select((tampered, index) => (tampered, index)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, _) =>
            {
                var (tampered, index) = item;
                // Each case goes to one of the endpoints that read the session; logout only for cookies that must not authenticate.
                var target = tampered.MayAuthenticate ? index % 3 : index % 4;
                var name = $"{tampered.Kind} -> {new[] { "session", "contexts", "upgrade", "logout" }[target]}: {OpenRedirectTests.Show(tampered.Header)}";
                log.CountCase();
                var response = target switch
                {
                    0 => await RawHttp.SendAsync(stack.Gateway.BaseAddress, "GET", "/auth/session", [("Cookie", tampered.Header)]),
                    1 => await RawHttp.SendAsync(stack.Gateway.BaseAddress, "GET", "/api/conversations/tamper/contexts", [("Cookie", tampered.Header)]),
                    2 => await RawHttp.SendAsync(stack.Gateway.BaseAddress, "GET", "/mcp",
                    [
                        ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Protocol", "mcp"),
                        ("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray())), ("Origin", stack.Gateway.BaseAddress.GetLeftPart(UriPartial.Authority)),
                        ("Cookie", tampered.Header),
                    ], close: false),
                    _ => await RawHttp.SendAsync(stack.Gateway.BaseAddress, "POST", "/auth/logout", [("Cookie", tampered.Header), ("X-CSRF", "1")], []),
                };
                log.Http(name, response.Status, response.Everything);
                outcomes.AddOrUpdate($"{tampered.Kind} {response.Status}", 1, (_, count) => count + 1);
                if (Judge(tampered, target, response) is { } problem)
                {
                    log.Violation(name, problem);
                }
            });
        });

        foreach (var outcome in outcomes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {outcome.Key}: {outcome.Value}");
        }

        output.WriteLine($"{cases.Count} tampered cookies {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync(attacker));
        await attacker.AssertSignedInAsync(attackerName);
        await stack.Bystander.AssertSignedInAsync(stack.BystanderName);
    }

    /// <returns>What is wrong with the answer, or null.</returns>
    private static string? Judge(Tampered tampered, int target, RawResponse response)
    {
        var error = LoadJournal.ErrorCodeOf(response.Body);
        switch (response.Status)
        {
            case 401 when error is "unauthenticated" or "session_expired":
            case 400 or 431:
                return null;
            case 200 when target == 0:
                var subject = JsonDocument.Parse(response.Body).RootElement.GetProperty("sub").GetString();
                return tampered.AllowedSubjects.Contains(subject) ? null : $"authenticated as {subject}";
            case 200 or 101 when tampered.MayAuthenticate && target is 1 or 2:
                return null;
            default:
                return $"answered {response.Status} ({error}): {response.Head.Split('\n')[0]} {response.Body}";
        }
    }

    /// <summary>
    /// A tampered cookie: how it was made, the whole Cookie header sent, and whom it may authenticate
    /// (a genuine cookie in another spelling authenticates its owner; of two genuine cookies, either), or nobody.
    /// </summary>
    private sealed record Tampered(string Kind, string Header, params string[] AllowedSubjects)
    {
        public bool MayAuthenticate => AllowedSubjects.Length > 0;
    }

    private static List<Tampered> Generate(Random random, string own, string victim, string ownSubject, string victimSubject)
    {
        var cases = new List<Tampered>();
        var bytes = WebEncoders.Base64UrlDecode(own);
        for (var i = 0; i < 220; i++)
        {
            var flipped = (byte[])bytes.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                var position = random.Next(flipped.Length);
                flipped[position] ^= (byte)(1 << random.Next(8));
            }

            if (flipped.AsSpan().SequenceEqual(bytes))
            {
                continue; // the same bit flipped twice: the genuine cookie
            }

            cases.Add(new("bit flip", "mcpgw=" + WebEncoders.Base64UrlEncode(flipped)));
        }

        for (var i = 0; i < 100; i++)
        {
            var chars = own.ToCharArray();
            var position = random.Next(chars.Length);
            var replacement = Alphabet[random.Next(Alphabet.Length)];
            if (replacement == chars[position] || position == chars.Length - 1)
            {
                continue; // the last character may carry padding bits only
            }

            chars[position] = replacement;
            cases.Add(new("character swap", "mcpgw=" + new string(chars)));
        }

        for (var i = 0; i < 80; i++)
        {
            cases.Add(new("truncation", "mcpgw=" + own[..random.Next(own.Length - 1)]));
        }

        for (var i = 0; i < 40; i++)
        {
            cases.Add(new("extension", "mcpgw=" + own + RandomText(random, random.Next(1, 64))));
        }

        for (var i = 0; i < 90; i++)
        {
            var text = RandomText(random, random.Next(1, 3000));
            cases.Add(new("random base64url", "mcpgw=" + (i % 3 == 0 ? "CfDJ8" + text : text)));
        }

        // Another user's cookie, spelled differently. The same bytes may authenticate that user (it is their secret); nothing else may.
        cases.Add(new("victim, standard base64", "mcpgw=" + victim.Replace('-', '+').Replace('_', '/'), victimSubject));
        cases.Add(new("victim, padded", "mcpgw=" + victim + new string('=', (4 - (victim.Length % 4)) % 4), victimSubject));
        cases.Add(new("victim, percent-encoded", "mcpgw=" + string.Concat(victim.Select(c => $"%{(int)c:X2}")), victimSubject));
        cases.Add(new("victim, quoted", $"mcpgw=\"{victim}\"", victimSubject));
        cases.Add(new("victim, reversed", "mcpgw=" + new string([.. victim.Reverse()])));
        cases.Add(new("victim, doubled", "mcpgw=" + victim + victim));
        cases.Add(new("victim, upper case", "mcpgw=" + victim.ToUpperInvariant()));
        cases.Add(new("victim, lower case", "mcpgw=" + victim.ToLowerInvariant()));
        for (var i = 0; i < 30; i++)
        {
            var chars = victim.ToCharArray();
            var position = random.Next(chars.Length - 1);
            if (!char.IsLetter(chars[position]))
            {
                continue;
            }

            chars[position] = char.IsUpper(chars[position]) ? char.ToLowerInvariant(chars[position]) : char.ToUpperInvariant(chars[position]);
            cases.Add(new("victim, one letter's case", "mcpgw=" + new string(chars)));
        }

        // The cookie handler's chunked cookies ("chunks-N" and mcpgwC1…), genuine and forged.
        var half = own.Length / 2;
        cases.Add(new("chunks, genuine", $"mcpgw=chunks-2; mcpgwC1={own[..half]}; mcpgwC2={own[half..]}", ownSubject));
        cases.Add(new("chunks, victim's second half", $"mcpgw=chunks-2; mcpgwC1={own[..half]}; mcpgwC2={victim[half..]}"));
        cases.Add(new("chunks, one missing", $"mcpgw=chunks-3; mcpgwC1={own[..half]}; mcpgwC2={own[half..]}"));
        foreach (var count in new[] { "0", "1", "2", "-1", "abc", "1000", "99999", "2147483647", "2147483648", "99999999999" })
        {
            cases.Add(new("chunks count " + count, $"mcpgw=chunks-{count}; mcpgwC1={own[..half]}"));
        }

        // The Cookie header itself.
        cases.Add(new("two session cookies, garbage first", $"mcpgw=garbage; mcpgw={own}", ownSubject));
        cases.Add(new("two session cookies, own first", $"mcpgw={own}; mcpgw=garbage", ownSubject));
        cases.Add(new("two users' cookies", $"mcpgw={own}; mcpgw={victim}", ownSubject, victimSubject));
        cases.Add(new("two users' cookies, victim first", $"mcpgw={victim}; mcpgw={own}", ownSubject, victimSubject));
        cases.Add(new("name in upper case (cookie names are case-insensitive here)", "MCPGW=" + own, ownSubject));
        cases.Add(new("name with a prefix", "__Host-mcpgw=" + own));
        cases.Add(new("name with the https prefix", SessionCookie.SecureName + "=" + own));
        cases.Add(new("name with a suffix", "mcpgwx=" + own));
        cases.Add(new("space before the name", " mcpgw=" + own, ownSubject));
        cases.Add(new("empty value", "mcpgw="));
        cases.Add(new("no value", "mcpgw"));
        cases.Add(new("only separators", ";;;; ;"));
        cases.Add(new("NUL in the value", "mcpgw=" + own[..10] + "%00" + own[10..]));
        cases.Add(new("a huge value", "mcpgw=" + RandomText(random, 40_000)));
        cases.Add(new("many cookies", string.Join("; ", Enumerable.Range(0, 300).Select(i => $"c{i}=v{i}")) + "; mcpgw=garbage"));
        cases.Add(new("non-ASCII", "mcpgw=caf\u00E9" + own));
        return cases;
    }

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return text.ToString();
    }
}
