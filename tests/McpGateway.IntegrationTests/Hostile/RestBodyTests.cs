using System.Text;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class RestBodyTests(HostileStack stack, ITestOutputHelper output)
{
    private static readonly string[] Conversations =
    [
        "ok", "..%2F..%2Fetc", "%2E%2E", "a%00b", "caf%C3%A9", "%F0%9F%98%80", new string('c', 129), "a%20b", "a:b", "a%2Fb", "%", "%25", "a;b", "a%09b",
    ];

    [Fact]
    public async Task Malformed_deep_huge_and_mistyped_bodies_and_identifiers_on_the_rest_endpoints_get_4xx_json_never_500()
    {
        var random = HostileSeed.For(nameof(Malformed_deep_huge_and_mistyped_bodies_and_identifiers_on_the_rest_endpoints_get_4xx_json_never_500));
        using var attacker = await stack.SignInAsync("bodies-" + Guid.NewGuid().ToString("N")[..6]);
        var cookie = "mcpgw=" + HostileStack.CookieOf(attacker);
        var bodies = Bodies(random);
        var cases = new List<(string Name, string Method, string Target, (string, string)[] Headers, byte[]? Body)>();
        foreach (var (name, contentType, body) in bodies)
        {
            foreach (var target in new[] { $"/api/conversations/{Conversations[random.Next(Conversations.Length)]}/contexts", "/api/tools/calculator/call", "/api/tools/echo/call", "/api/tools/file_read/call", "/api/v2/chat" })
            {
                cases.Add(($"POST {target} {name}", "POST", target, [("Cookie", cookie), ("X-CSRF", "1"), ("Content-Type", contentType)], body));
            }
        }

        foreach (var conversation in Conversations)
        {
            cases.Add(($"GET contexts of {conversation}", "GET", $"/api/conversations/{conversation}/contexts", [("Cookie", cookie)], null));
            cases.Add(($"DELETE a context of {conversation}", "DELETE", $"/api/conversations/{conversation}/contexts/{Conversations[random.Next(Conversations.Length)]}", [("Cookie", cookie), ("X-CSRF", "1")], null));
            cases.Add(($"POST tool {conversation}", "POST", $"/api/tools/{conversation}/call", [("Cookie", cookie), ("X-CSRF", "1"), ("Content-Type", "application/json")], "{}"u8.ToArray()));
        }

        var log = new AttackLog();

        await Bystander.DuringAsync(stack, output, async () =>
        {
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (attack, _) =>
            {
                log.CountCase();
                var response = await RawHttp.SendAsync(stack.Gateway.BaseAddress, attack.Method, attack.Target, attack.Headers, attack.Body);
                log.Http(attack.Name, response.Status, response.Everything);
                var json = response.Head.Contains("application/json", StringComparison.OrdinalIgnoreCase);
                if (response.Status is >= 500 and not (502 or 503 or 504) || response.Status is 500)
                {
                    log.Violation(attack.Name, $"answered {response.Status}: {response.Body}");
                }
                else if (response.Status is >= 400 and < 500 && response.Status is not (408 or 413 or 414 or 431) && !json && response.Body.Length > 0
                         && !attack.Target.StartsWith("/api/v2/chat", StringComparison.Ordinal))
                {
                    log.Violation(attack.Name, $"a {response.Status} without a JSON body: {response.Head.Split('\n')[0]} {response.Body}");
                }
            });
        });

        output.WriteLine($"{log.Cases} hostile REST requests {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync(attacker), stack.Files.SecretMarker, "root:x:0:0", stack.Files.Parent);
    }

    [Fact]
    public async Task A_lone_surrogate_in_rest_tool_arguments_is_refused_without_a_500()
    {
        using var attacker = await stack.SignInAsync("surrogate-" + Guid.NewGuid().ToString("N")[..6]);
        var log = new AttackLog();
        foreach (var tool in new[] { "calculator", "echo", "file_read" })
        {
            log.CountCase();
            var response = await RawHttp.SendAsync(stack.Gateway.BaseAddress, "POST", $"/api/tools/{tool}/call",
                [("Cookie", "mcpgw=" + HostileStack.CookieOf(attacker)), ("X-CSRF", "1"), ("Content-Type", "application/json")],
                "{\"arguments\":{\"expression\":\"\\udfff\",\"message\":\"\\ud800\",\"path\":\"\\ud800\"}}"u8.ToArray());
            log.Http($"{tool} with a lone surrogate", response.Status, response.Everything);
            if (response.Status != 400 || !response.Body.Contains("\"invalid_request\"", StringComparison.Ordinal))
            {
                log.Violation($"{tool} with a lone surrogate", $"expected 400 invalid_request, got {response.Status}: {response.Body}");
            }
        }

        log.AssertClean(await stack.SecretsAsync(attacker));
    }

    [Fact]
    public async Task A_tool_name_with_a_line_break_is_refused_as_invalid_without_a_500()
    {
        using var attacker = await stack.SignInAsync("linebreak-" + Guid.NewGuid().ToString("N")[..6]);
        var log = new AttackLog();
        log.CountCase();
        var response = await RawHttp.SendAsync(stack.Gateway.BaseAddress, "POST", "/api/tools/a%0Ab/call",
            [("Cookie", "mcpgw=" + HostileStack.CookieOf(attacker)), ("X-CSRF", "1"), ("Content-Type", "application/json")], "{}"u8.ToArray());
        log.Http("REST tool a\\nb", response.Status, response.Everything);
        if (response.Status != 400 || !response.Body.Contains("\"invalid_request\"", StringComparison.Ordinal))
        {
            log.Violation("REST tool a\\nb", $"expected 400 invalid_request, got {response.Status}: {response.Body}");
        }

        await using var socket = await Infrastructure.RawSocket.OpenAsync(attacker);
        await socket.InitializeAsync();
        var answer = await socket.RequestAsync(1, "tools/call", new { name = "a\nb", arguments = new { } });
        log.Frame("socket tool a\\nb", answer.GetRawText());
        if (!answer.TryGetProperty("error", out var error) || error.GetProperty("code").GetInt32() != -32602)
        {
            log.Violation("socket tool a\\nb", "expected invalid params (-32602) for an invalid tool name: " + answer.GetRawText());
        }

        // The other values the upstream's headers carry (Mcp-Method, Mcp-Name of a prompt or resource) are refused the same way.
        var id = 2;
        foreach (var (method, parameters, code) in new (string, object, int)[]
        {
            ("prompts/get", new { name = "a\nb" }, -32602),
            ("resources/read", new { uri = "test://a\r\nb" }, -32602),
            ("tools/list\n", new { }, -32600),
        })
        {
            var refused = await socket.RequestAsync(id++, method, parameters);
            log.Frame("socket " + method.Replace("\n", "\\n", StringComparison.Ordinal), refused.GetRawText());
            if (!refused.TryGetProperty("error", out var refusal) || refusal.GetProperty("code").GetInt32() != code)
            {
                log.Violation("socket " + method, $"expected {code} for a line break headed for the upstream's headers: " + refused.GetRawText());
            }
        }

        log.AssertClean(await stack.SecretsAsync(attacker));
    }

    [Fact]
    public async Task A_request_body_that_never_completes_gets_a_4xx_not_a_500()
    {
        using var attacker = await stack.SignInAsync("slowbody-" + Guid.NewGuid().ToString("N")[..6]);
        var cookie = "mcpgw=" + HostileStack.CookieOf(attacker);
        var log = new AttackLog();
        foreach (var (name, headers, body) in new (string, (string, string)[], byte[]?)[]
        {
            ("a lying Content-Length", [("Content-Length", "10")], null),
            ("a chunked body without its end", [("Transfer-Encoding", "chunked")], "5\r\n{\"a\":\r\n"u8.ToArray()),
        })
        {
            log.CountCase();
            var response = await RawHttp.SendAsync(stack.Gateway.BaseAddress, "POST", "/api/conversations/ok/contexts",
                [("Cookie", cookie), ("X-CSRF", "1"), ("Content-Type", "application/json"), .. headers], body);
            log.Http(name, response.Status, response.Everything);
            if (response.Status is not (400 or 408) || !response.Body.Contains("\"invalid_request\"", StringComparison.Ordinal))
            {
                log.Violation(name, $"expected 400 or 408 invalid_request, got {response.Status}: {response.Body}");
            }
        }

        log.AssertClean(await stack.SecretsAsync(attacker));
    }

    private static List<(string Name, string ContentType, byte[] Body)> Bodies(Random random)
    {
        const string Json = "application/json";
        var deep = random.Next(2000, 20000);
        var list = new List<(string, string, byte[])>
        {
            ("empty", Json, []),
            ("unclosed", Json, "{"u8.ToArray()),
            ("null", Json, "null"u8.ToArray()),
            ("array", Json, "[]"u8.ToArray()),
            ("number", Json, "1"u8.ToArray()),
            ("wrong types", Json, "{\"content\":1,\"arguments\":[],\"messages\":\"x\",\"metadata\":[]}"u8.ToArray()),
            ("arguments a string", Json, "{\"arguments\":\"1+1\"}"u8.ToArray()),
            ("repeated members", Json, "{\"content\":\"a\",\"content\":\"b\",\"arguments\":{},\"arguments\":{}}"u8.ToArray()),
            ($"nesting {deep} deep", Json, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", deep)) + "1" + new string('}', deep))),
            ("arrays nested 70 deep", Json, Encoding.UTF8.GetBytes("{\"arguments\":" + new string('[', 70) + new string(']', 70) + "}")),
            ("two megabytes", Json, Encoding.UTF8.GetBytes("{\"content\":\"" + new string('x', 2 * 1024 * 1024) + "\"}")),
            ("invalid UTF-8", Json, [.. "{\"content\":\""u8.ToArray(), 0xC3, 0x28, 0xFF, .. "\"}"u8.ToArray()]),
            ("a lone surrogate escape in a context", Json, "{\"content\":\"\\ud800\"}"u8.ToArray()),
            ("a byte order mark", Json, [0xEF, 0xBB, 0xBF, .. "{\"content\":\"bom\",\"arguments\":{}}"u8.ToArray()]),
            ("UTF-16", "application/json; charset=utf-16", Encoding.Unicode.GetBytes("{\"content\":\"utf16\"}")),
            ("an unknown charset", "application/json; charset=x-unknown", "{\"content\":\"x\"}"u8.ToArray()),
            ("text/plain", "text/plain", "{\"content\":\"x\"}"u8.ToArray()),
            ("a form", "application/x-www-form-urlencoded", "content=x&arguments=y"u8.ToArray()),
            ("JSON with comments", Json, "{/*c*/\"content\":\"x\"}"u8.ToArray()),
            ("trailing commas", Json, "{\"content\":\"x\",}"u8.ToArray()),
            ("NaN", Json, "{\"content\":NaN,\"metadata\":{\"tokens_used\":Infinity}}"u8.ToArray()),
            ("huge numbers", Json, "{\"content\":\"x\",\"metadata\":{\"tokens_used\":1e400,\"timestamp\":\"9999-99-99\"}}"u8.ToArray()),
            ("negative tokens", Json, Encoding.UTF8.GetBytes("{\"content\":\"x\",\"metadata\":{\"tokens_used\":-1,\"model\":\"" + new string('m', 300) + "\"}}")),
            ("a hostile id", Json, "{\"content\":\"x\",\"id\":\"../../x\"}"u8.ToArray()),
            ("an id of 129", Json, Encoding.UTF8.GetBytes("{\"content\":\"x\",\"id\":\"" + new string('i', 129) + "\"}")),
            ("a NUL in a string", Json, "{\"content\":\"a\\u0000b\",\"arguments\":{\"expression\":\"1\\u0000\"}}"u8.ToArray()),
            ("chat messages hostile", Json, "{\"messages\":[{\"role\":\"system\",\"content\":{}},{\"role\":1}],\"stream\":\"yes\",\"model\":[]}"u8.ToArray()),
        };
        for (var i = 0; i < 12; i++)
        {
            var bytes = new byte[random.Next(1, 3000)];
            random.NextBytes(bytes);
            list.Add(($"random bytes {i}", Json, bytes));
        }

        return list;
    }
}
