using System.Net;
using System.Net.Sockets;
using System.Text;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class ProxyRestrictionTests(HostileStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task No_path_host_header_or_request_target_trick_makes_the_chat_proxy_forward_anywhere_but_its_one_route()
    {
        var user = "proxy-" + Guid.NewGuid().ToString("N")[..6];
        using var attacker = await stack.SignInAsync(user);
        var cookie = "mcpgw=" + HostileStack.CookieOf(attacker);
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var evil = $"127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}";
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var accepted = await elsewhere.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var body = Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"where do I go\"}]}");
        var cases = new List<(string Method, string Target, (string, string)[] Headers)>();
        foreach (var target in new[]
        {
            "/api/v2/chat/x", "/api/v2/chat/../../_audit", "/api/v2/chat%2F..%2F_audit", "/api/v2/chat/%2e%2e/_audit", "//api/v2/chat", "/api/v2//chat",
            "/api/v2/chat;x=1", "/api/v2/chat?url=http://" + evil + "/", "/api/v2/chat?destination=" + evil, "/api/v2/chat#http://" + evil,
            $"http://{evil}/api/v2/chat", "/api/v2/chat/http://" + evil, "/api/v2/chat@" + evil, "/api/v2/../v2/chat", "/api/v1/chat", "/api/v2/other",
            "/_audit", "/api/v2/chat%00", "/api/v2/chat%20", "/api/v2/chat.", "/api/v2/chat/", "/API/V2/CHAT",
        })
        {
            cases.Add(("POST", target, []));
        }

        foreach (var headers in new (string, string)[][]
        {
            [("X-Forwarded-Host", evil)], [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", evil)], [("Forwarded", $"host={evil};proto=http")],
            [("X-Original-URL", "/_audit")], [("X-Rewrite-URL", "/_audit")], [("X-Forwarded-Prefix", "/_audit")], [("X-Forwarded-Port", "1")],
        })
        {
            cases.Add(("POST", "/api/v2/chat", headers));
        }

        foreach (var method in new[] { "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT" })
        {
            cases.Add((method, method == "CONNECT" ? evil : "/api/v2/chat", []));
        }

        var log = new AttackLog();
        var audited = (await stack.Chat.AuditAsync()).Length;
        await Bystander.DuringAsync(stack, output, async () =>
        {
            foreach (var (method, target, headers) in cases)
            {
                var name = $"{method} {target} [{string.Join("; ", headers.Select(h => h.Item1 + ": " + h.Item2))}]";
                log.CountCase();
                var response = await RawHttp.SendAsync(stack.Gateway.BaseAddress, method, target,
                    [("Cookie", cookie), ("X-CSRF", "1"), ("Content-Type", "application/json"), .. headers], method is "POST" or "PUT" or "PATCH" ? body : null);
                log.Http(name, response.Status, response.Everything);
            }

            // A Host header of another site changes nothing either (the gateway answers for its public origin only).
            log.CountCase();
            var forged = await RawHttp.SendAsync(stack.Gateway.BaseAddress, "POST", "/api/v2/chat",
                [("Cookie", cookie), ("X-CSRF", "1"), ("Content-Type", "application/json"), ("Host", evil)], body);
            log.Http("a forged Host header", forged.Status, forged.Everything);
        });

        await stop.CancelAsync();
        await listening;
        var reached = (await stack.Chat.AuditAsync()).Skip(audited).Where(entry => entry.GetProperty("sub").GetString() == user).ToList();
        output.WriteLine($"{log.Cases} proxy tricks; the chat server saw {reached.Count} of them, at {string.Join(", ", reached.Select(entry => entry.GetProperty("path").GetString()).Distinct())}.");
        Assert.Equal(0, connections);
        // Routing ignores case and a trailing slash: those reach the one route, on the one configured host.
        Assert.All(reached, entry => Assert.Equal("/api/v2/chat", entry.GetProperty("path").GetString()!.TrimEnd('/'), ignoreCase: true));
        log.AssertClean(await stack.SecretsAsync(attacker));
    }
}
