using System.Globalization;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class CrossOriginUpgradeTests(HostileStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task WebSocket_upgrades_from_hundreds_of_other_origins_are_refused_with_403_before_the_upgrade_even_with_a_valid_cookie()
    {
        var random = HostileSeed.For(nameof(WebSocket_upgrades_from_hundreds_of_other_origins_are_refused_with_403_before_the_upgrade_even_with_a_valid_cookie));
        using var victim = await stack.SignInAsync("origin-" + Guid.NewGuid().ToString("N")[..6]);
        var cookie = $"mcpgw={HostileStack.CookieOf(victim)}";
        var origin = stack.Gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        var origins = Origins(random, stack.Gateway.Port, 320);
        var log = new AttackLog();
        var refused = 0;

        await Bystander.DuringAsync(stack, output, async () =>
        {
            await Parallel.ForEachAsync(origins, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (headers, _) =>
            {
                var name = "upgrade with " + (headers.Length == 0 ? "no Origin" : string.Join("; ", headers.Select(h => $"{h.Name}: {OpenRedirectTests.Show(h.Value)}")));
                var response = await UpgradeAsync(headers.Append(("Cookie", cookie)));
                log.CountCase();
                log.Http(name, response.Status, response.Everything);
                if (response.Status == 403 && Faults.LoadJournal.ErrorCodeOf(response.Body) == "forbidden")
                {
                    Interlocked.Increment(ref refused);
                }
                else if (response.Status is not 400)
                {
                    log.Violation(name, $"answered {response.Status} instead of 403 before the upgrade: {response.Head}");
                }
            });
        });

        // The page of the gateway's own origin, same cookie: accepted.
        var genuine = await UpgradeAsync([("Origin", origin), ("Cookie", cookie)]);
        Assert.Equal(101, genuine.Status);
        output.WriteLine($"{origins.Count} foreign origins: {refused} refused with 403 forbidden, the rest with 400 (malformed) {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync(victim));
    }

    private Task<RawResponse> UpgradeAsync(IEnumerable<(string, string)> headers)
        => RawHttp.SendAsync(stack.Gateway.BaseAddress, "GET", "/mcp",
        [
            ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
            ("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray())), ("Sec-WebSocket-Protocol", "mcp"),
            .. headers,
        ], close: false);

    /// <summary>
    /// Origin headers a browser page of another site, a file, an extension or a sandbox would send, and forged ones. (Spaces and tabs
    /// around a header value are not part of it in HTTP, so " http://127.0.0.1:port" is the gateway's own origin and left out.)
    /// </summary>
    internal static List<(string Name, string Value)[]> Origins(Random random, int port, int count)
    {
        var p = port.ToString(CultureInfo.InvariantCulture);
        string[] schemes = ["http://", "https://", "ws://", "wss://", "HTTP://", "Http://", "hTTp://", "file://", "ftp://", "chrome-extension://", "moz-extension://", "http:/", "http:", "//", ""];
        string[] hosts =
        [
            "127.0.0.1", "localhost", "LOCALHOST", "127.0.0.2", "127.1", "0x7f.0.0.1", "2130706433", "[::1]", "[::ffff:127.0.0.1]", "127.0.0.1.evil.example",
            "evil.127.0.0.1", "evil.example", "127.0.0.1%00.evil.example", "127.0.0.l", "127.0.0.1.", "user@127.0.0.1", "127.0.0.1@evil.example", "\u0127.0.0.1",
        ];
        string[] ports = [":" + p, "", ":80", ":443", ":0", ":65536", ":" + (port + 1).ToString(CultureInfo.InvariantCulture), ":" + (port - 1).ToString(CultureInfo.InvariantCulture), ":0" + p, ":" + p + "0", ": " + p];
        string[] tails = ["", "", "", "/", "/mcp", "?x=1", "#x", " ", "\t", ".", ":", "%20", ", http://evil.example"];
        var exact = $"http://127.0.0.1:{p}";
        var values = new HashSet<string>(StringComparer.Ordinal)
        {
            "null", "", "*", "undefined", "None", exact + "/", exact.ToUpperInvariant(), exact + " ,", "HTTP://127.0.0.1:" + p, "http://127.0.0.1:" + p + "/",
            $"http://127.0.0.1:{p}, https://evil.example", $"https://evil.example, http://127.0.0.1:{p}", $"http://127.0.0.1:{p}\u0000", $"http://localhost:{p}",
        };
        while (values.Count < count)
        {
            var value = schemes[random.Next(schemes.Length)] + hosts[random.Next(hosts.Length)] + ports[random.Next(ports.Length)] + tails[random.Next(tails.Length)];
            if (value.Trim() != exact)
            {
                values.Add(value);
            }
        }

        var cases = values.Select(value => new[] { ("Origin", value) }).ToList();
        cases.Add([]);
        cases.Add([("Origin", "https://evil.example"), ("Origin", exact)]);
        cases.Add([("Origin", exact), ("Origin", "https://evil.example")]);
        cases.Add([("Origin", exact), ("Origin", exact)]);
        cases.Add([("Sec-WebSocket-Origin", exact)]);
        cases.Add([("Origin", "null"), ("Referer", exact + "/")]);
        cases.Add([("X-Forwarded-Host", "evil.example"), ("Origin", "http://evil.example")]);
        cases.Add([("Host", "evil.example"), ("Origin", "http://evil.example")]);
        return cases;
    }
}
