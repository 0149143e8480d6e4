using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// docker-compose.yml brought up without Docker: the development servers' image
/// (deploy/compose/node.Dockerfile) built as written into a folder, each service started with its
/// compose command and environment, ready when its own compose health check says so, and the published
/// gateway started with its compose environment. Each "host:port" of the compose network gets a loopback
/// port here; the issuer keeps its host name <c>localhost</c>, which the browser and the gateway both use,
/// as they do in the stack. Redis is the tests' redis-server, SearXNG is left out (no internet here).
/// Two deviations keep everything on loopback: BIND_HOST=127.0.0.1 for bind-all.mjs, and the MCP
/// reference server (which binds every interface by itself) runs under deploy/dev/loopback.mjs.
/// </summary>
[Collection(nameof(PublishedImageCollection))]
public sealed partial class ComposeStackTests(PublishedImage image)
{
    private const string NodeDockerfile = "deploy/compose/node.Dockerfile";

    [Fact]
    public async Task The_stack_signs_a_user_in_at_the_localhost_issuer_and_the_gateway_reaches_the_mcp_server_chat_and_files()
    {
        var compose = await ComposeProject.ResolveAsync(ComposeProject.BaseFile);
        var services = ComposeProject.Services(compose).ToDictionary(service => service.Name, service => service.Service);
        var gatewayEnvironment = ComposeProject.Environment(services["gateway"]);
        var nodeServices = services.Where(service => service.Value.TryGetProperty("build", out var build) && build.GetProperty("dockerfile").GetString() == NodeDockerfile)
            .Select(service => service.Key).ToList();
        Assert.Equal(["chat", "idp", "mcp", "mcp-front"], nodeServices.Order(StringComparer.Ordinal));

        var root = Directory.CreateTempSubdirectory("mcpgw-devstack-").FullName;
        var processes = new List<ExternalProcess>();
        try
        {
            var stage = Assert.Single(Dockerfile.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, NodeDockerfile))).Stages);
            await DockerBuild.RunStageAsync(stage, "devstack", new Dictionary<string, string> { ["devstack"] = root });
            var workdir = DockerBuild.Rooted(root, DockerBuild.FinalWorkdir(stage));

            // The compose network's addresses, and the ones that stand for them here.
            var ports = nodeServices.ToDictionary(name => name, name => (Compose: int.Parse(ComposeProject.Environment(services[name])["PORT"], CultureInfo.InvariantCulture), Here: FreePort.Next()));
            var gatewayPort = FreePort.Next();
            var addresses = ports.ToDictionary(entry => $"{entry.Key}:{entry.Value.Compose}", entry => $"127.0.0.1:{entry.Value.Here}");
            var issuer = new Uri(gatewayEnvironment["Auth__Authority"]);
            var origin = new Uri(gatewayEnvironment["Gateway__PublicOrigin"]);
            addresses[$"localhost:{issuer.Port}"] = $"localhost:{ports["idp"].Here}";
            addresses[$"localhost:{origin.Port}"] = $"localhost:{gatewayPort}";
            addresses["searxng:8080"] = $"127.0.0.1:{FreePort.Next()}";
            string Rewrite(string value, string self) => HostAndPort().Replace(value, match =>
                match.Groups["host"].Value == "127.0.0.1" && ports.TryGetValue(self, out var own) && match.Groups["port"].Value == own.Compose.ToString(CultureInfo.InvariantCulture)
                    ? $"127.0.0.1:{own.Here}"
                    : addresses.GetValueOrDefault(match.Value, match.Value));

            foreach (var name in StartOrder(services, nodeServices))
            {
                var service = services[name];
                var command = service.GetProperty("command").EnumerateArray().Select(part => Rewrite(InImage(root, part.GetString()!), name)).ToList();
                Assert.Equal("node", command[0]);
                if (name == "mcp")
                {
                    command.InsertRange(1, ["--import", Path.Combine(workdir, "loopback.mjs")]);
                }

                var environment = stage.Environment();
                foreach (var (key, value) in ComposeProject.Environment(service))
                {
                    environment[key] = Rewrite(value, name);
                }

                environment["PORT"] = ports[name].Here.ToString(CultureInfo.InvariantCulture);
                environment["BIND_HOST"] = "127.0.0.1";
                processes.Add(await ExternalProcess.StartAsync("compose-" + name, "node", command.Skip(1), environment, workdir, _ => true, TimeSpan.FromSeconds(30)));
                var test = service.GetProperty("healthcheck").GetProperty("test").EnumerateArray().Select(part => Rewrite(InImage(root, part.GetString()!), name)).ToArray();
                await WaitUntilHealthyAsync(name, test, workdir, processes[^1]);
            }

            await using var redis = await RedisServer.StartAsync();
            var gatewaySettings = image.Runtime.Environment();
            foreach (var (key, value) in gatewayEnvironment)
            {
                gatewaySettings[key] = Rewrite(value, "gateway");
            }

            gatewaySettings["Redis__Configuration"] = redis.Configuration;
            gatewaySettings["Tools__FileRead__Root"] = Assert.Single(ComposeProject.Volumes(services["gateway"]), mount => mount.Target == gatewayEnvironment["Tools__FileRead__Root"]).Source;
            // The key-encryption certificate's named volume: an empty folder here, as at the stack's first start.
            var keysVolume = Path.GetDirectoryName(gatewayEnvironment["DataProtection__CertificatePath"])!;
            Assert.Single(ComposeProject.Volumes(services["gateway"]), mount => mount.Target == keysVolume);
            var certificate = Path.Combine(Directory.CreateTempSubdirectory("mcpgw-compose-keys-").FullName, Path.GetFileName(gatewayEnvironment["DataProtection__CertificatePath"]));
            gatewaySettings["DataProtection__CertificatePath"] = certificate;
            gatewaySettings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{gatewayPort}";
            Assert.DoesNotContain(gatewaySettings.Values, value => services.Keys.Any(host => value.Contains("//" + host + ":", StringComparison.Ordinal)));
            var entrypoint = image.Runtime.One("ENTRYPOINT").ExecForm();
            processes.Add(await ExternalProcess.StartAsync(
                "compose-gateway", entrypoint[0], entrypoint[1..], gatewaySettings, image.App,
                line => line.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60)));
            var gateway = new Uri($"http://localhost:{gatewayPort}");
            using (var http = new HttpClient { BaseAddress = gateway })
            {
                await DockerfilePublishTests.WaitUntilReadyAsync(http, processes[^1]);
            }

            // The browser signs in at the issuer's URL, the very one the gateway registered at.
            using var browser = new Browser(gateway);
            using var login = await browser.LoginAsync("alice");
            using var session = await browser.GetAsync("/auth/session");
            Assert.Equal(HttpStatusCode.OK, session.StatusCode);
            Assert.Equal("alice", (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sub").GetString());

            // The MCP server behind its bearer-checking front, which introspects at http://idp:…
            Assert.Contains("Echo: through compose", await CallToolAsync(browser, "echo", """{"message":"through compose"}"""), StringComparison.Ordinal);
            Assert.True(File.Exists(certificate), "the first start wrote no key-encryption certificate into the keys volume");
            Assert.DoesNotContain(processes[^1].Lines, line => line.Contains("without encryption", StringComparison.Ordinal));
            // The file_read root mounted into the gateway.
            Assert.Contains("Welcome to McpGateway", await CallToolAsync(browser, "file_read", """{"path":"welcome.md"}"""), StringComparison.Ordinal);
            // The chat server, which checks the bearer the same way.
            using var chat = await browser.PostAsync("/api/v2/chat", Json("""{"messages":[{"role":"user","content":"hello compose"}]}"""));
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            Assert.Contains("Echo: hello compose", await chat.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var audit = new HttpClient();
            var front = await audit.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{ports["mcp-front"].Here}/_audit");
            Assert.Contains(front.EnumerateArray(), entry => entry.GetProperty("sub").ValueKind == JsonValueKind.String && entry.GetProperty("sub").GetString() == "alice" && entry.GetProperty("active").GetBoolean());
        }
        finally
        {
            foreach (var process in Enumerable.Reverse(processes))
            {
                await process.DisposeAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The services in an order in which each one's dependencies come first.</summary>
    private static List<string> StartOrder(Dictionary<string, JsonElement> services, List<string> names)
    {
        var order = new List<string>();
        while (order.Count < names.Count)
        {
            var next = names.Except(order).OrderBy(name => name, StringComparer.Ordinal)
                .First(name => ComposeProject.DependsOn(services[name]).Keys.Where(names.Contains).All(order.Contains));
            order.Add(next);
        }

        return order;
    }

    private static async Task WaitUntilHealthyAsync(string name, string[] test, string workdir, ExternalProcess process)
    {
        Assert.Equal("CMD", test[0]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var result = await DeployTools.RunAsync(test[1], test[2..], workdir);
            if (result.ExitCode == 0)
            {
                return;
            }

            last = result.Output + result.Error;
            await Task.Delay(250);
        }

        Assert.Fail($"{name}'s compose health check never passed: {last}\n{process.Tail()}");
    }

    private static async Task<string> CallToolAsync(Browser browser, string tool, string arguments)
    {
        using var response = await browser.PostAsync($"/api/tools/{tool}/call", Json($$"""{"arguments":{{arguments}}}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{tool}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>An absolute path of the dev-server image inside its folder; other words unchanged.</summary>
    private static string InImage(string root, string part) => part.StartsWith('/') ? DockerBuild.Rooted(root, part) : part;

    [GeneratedRegex(@"(?<host>[A-Za-z0-9][A-Za-z0-9.-]*):(?<port>\d+)")]
    private static partial Regex HostAndPort();
}
