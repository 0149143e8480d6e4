using System.Text.Json;
using System.Text.RegularExpressions;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// docker-compose.yml (the development stack) and docker-compose.lb.yml (two replicas behind nginx), as
/// Debian's docker-compose 1.29 reads them: no engine is needed to validate and resolve them.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] Base = [ComposeProject.BaseFile];
    private static readonly string[] LoadBalanced = [ComposeProject.BaseFile, ComposeProject.LoadBalancerFile];
    private static readonly string[] WithConnectors = [ComposeProject.BaseFile, ComposeProject.ConnectorsFile];

    /// <summary>The only ports on the host: the gateway (or nginx) and the OpenID provider's sign-in pages, on 127.0.0.1.</summary>
    private static readonly string[] DocumentedPorts = ["idp 127.0.0.1:5100->5100", "idp 127.0.0.1:8080->8080"];

    private static readonly string[] GatewayReplicas = ["gateway", "gateway-b"];

    public static TheoryData<string> Stacks => new() { "base", "load-balanced" };

    private static string[] Files(string stack) => stack == "base" ? Base : LoadBalanced;

    [Fact]
    public async Task Both_compose_files_are_accepted_by_docker_compose_1_29()
    {
        var emptyEnvFile = Path.GetTempFileName();
        foreach (var files in new[] { Base, LoadBalanced, WithConnectors })
        {
            var withTestValues = await ComposeProject.ConfigAsync(files, quiet: true);
            var withExampleFile = await ComposeProject.ConfigAsync(files, quiet: true, environment: new Dictionary<string, string>(), envFile: ".env.example");
            var withoutSecrets = await ComposeProject.ConfigAsync(files, quiet: true, environment: new Dictionary<string, string>(), envFile: emptyEnvFile);

            Assert.True(withTestValues.ExitCode == 0, withTestValues.Describe("docker-compose config -q"));
            Assert.True(withExampleFile.ExitCode == 0, withExampleFile.Describe("docker-compose --env-file .env.example config -q"));
            // A secret that is not set stops the stack instead of starting it with an empty value.
            Assert.NotEqual(0, withoutSecrets.ExitCode);
            Assert.Contains("in .env (see .env.example)", withoutSecrets.Error, StringComparison.Ordinal);
        }

        File.Delete(emptyEnvFile);
    }

    [Fact]
    public async Task The_connectors_example_gives_the_gateway_a_discover_mode_server_whose_provider_issues_tokens_for_exactly_its_url()
    {
        var services = ComposeProject.Services(await ComposeProject.ResolveAsync(WithConnectors)).ToDictionary(service => service.Name, service => service.Service);
        var gateway = ComposeProject.Environment(services["gateway"]);
        var vault = ComposeProject.Environment(services["vault"]);
        var vaultIdp = ComposeProject.Environment(services["vault-idp"]);

        Assert.Equal("Discover", gateway["Upstreams__Mcp__Servers__vault__Authorization"]);
        Assert.Equal("http://mcp-front:5102/mcp", gateway["Upstreams__Mcp__Url"]);
        // RFC 9728 §3.3: the metadata's resource must be the URL the gateway uses, and the provider's JWTs are meant for it.
        Assert.Equal(gateway["Upstreams__Mcp__Servers__vault__Url"], vault["RESOURCE"]);
        Assert.Equal(vault["RESOURCE"], vaultIdp["JWT_RESOURCES"]);
        Assert.Equal(vaultIdp["ISSUER"], vault["ISSUER"]);
        Assert.Equal(vaultIdp["ISSUER"], gateway["Upstreams__Mcp__AllowedIssuers__0"]);
        foreach (var name in new[] { "gateway", "vault", "vault-idp" })
        {
            Assert.Equal("service:idp", services[name].GetProperty("network_mode").GetString());
        }

        Assert.True(services["vault"].TryGetProperty("healthcheck", out _));
        Assert.True(services["vault-idp"].TryGetProperty("healthcheck", out _));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Every_service_has_a_health_check_and_the_gateway_waits_until_all_are_healthy(string stack)
    {
        var config = await ComposeProject.ResolveAsync(Files(stack));
        var services = ComposeProject.Services(config).ToDictionary(service => service.Name, service => service.Service);

        foreach (var (name, service) in services)
        {
            Assert.True(service.TryGetProperty("healthcheck", out var healthcheck), $"{name} has no healthcheck");
            Assert.False(healthcheck.TryGetProperty("disable", out var disabled) && disabled.ValueKind == JsonValueKind.True, $"{name}: healthcheck disabled");
            var test = healthcheck.GetProperty("test");
            Assert.True(test.ValueKind == JsonValueKind.Array && test.GetArrayLength() > 1, $"{name}: healthcheck.test must be a command");
            Assert.NotEqual("NONE", test[0].GetString());
        }

        var replicas = stack == "base" ? ["gateway"] : GatewayReplicas;
        var infrastructure = services.Keys.Except(replicas).Except(["lb"]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["chat", "idp", "mcp", "mcp-front", "redis", "searxng"], infrastructure);
        foreach (var replica in replicas)
        {
            var dependencies = ComposeProject.DependsOn(services[replica]);
            Assert.Equal(infrastructure, dependencies.Keys.Order(StringComparer.Ordinal));
            Assert.All(dependencies, dependency => Assert.Equal("service_healthy", dependency.Value));
        }

        if (stack != "base")
        {
            var lb = ComposeProject.DependsOn(services["lb"]);
            Assert.Equal(GatewayReplicas, lb.Keys.Order(StringComparer.Ordinal));
            Assert.All(lb, dependency => Assert.Equal("service_healthy", dependency.Value));
        }
    }

    [Fact]
    public async Task Redis_keeps_an_append_only_file_on_a_named_volume()
    {
        var config = await ComposeProject.ResolveAsync(Base);
        var redis = config.GetProperty("services").GetProperty("redis");

        var command = redis.GetProperty("command").EnumerateArray().Select(ComposeProject.Scalar).ToList();
        var appendOnly = command.IndexOf("--appendonly");
        Assert.True(appendOnly >= 0 && command[appendOnly + 1] == "yes", "redis must run with --appendonly yes: " + string.Join(' ', command));
        var data = Assert.Single(ComposeProject.Volumes(redis), mount => mount.Target == "/data");
        Assert.True(config.GetProperty("volumes").TryGetProperty(data.Source, out _), $"/data of redis must be a named volume, not '{data.Source}'");
        Assert.False(redis.TryGetProperty("ports", out _), "redis must not be published on the host");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Only_the_documented_ports_are_published_and_only_on_the_hosts_loopback(string stack)
    {
        var config = await ComposeProject.ResolveAsync(Files(stack));

        var published = ComposeProject.Services(config)
            .SelectMany(service => ComposeProject.Ports(service.Name, service.Service))
            .Select(port => $"{port.Service} {port.HostIp}:{port.HostPort}->{port.ContainerPort}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(DocumentedPorts, published);
        var guide = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "docs", "deployment.md"));
        Assert.Contains("http://localhost:8080", guide, StringComparison.Ordinal);
        Assert.Contains("http://localhost:5100", guide, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_come_only_from_the_env_file_and_the_example_holds_placeholders()
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in LoadBalanced)
        {
            var text = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, file));
            referenced.UnionWith(Interpolation().Matches(text).Select(match => match.Groups["name"].Value));
            foreach (var (name, service) in ComposeProject.Services(await ComposeProject.RawAsync(file)))
            {
                foreach (var (key, value) in ComposeProject.Environment(service))
                {
                    if (LooksSecret(key) || value.Contains("password=", StringComparison.OrdinalIgnoreCase))
                    {
                        var match = OnlyInterpolation().Match(value);
                        Assert.True(match.Success, $"{file}: {name}.{key} must come from the environment (${{NAME}}), not be written in the file");
                        Assert.True(match.Groups["default"].Value.Length == 0, $"{file}: {name}.{key} must not have a default value");
                    }
                }
            }
        }

        var example = ComposeProject.EnvExample().ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal);
        Assert.Empty(referenced.Except(example.Keys));
        foreach (var (key, value) in example.Where(entry => LooksSecret(entry.Key)))
        {
            Assert.True(value.Length == 0 || value.StartsWith("change-me", StringComparison.Ordinal), $".env.example: {key} must be empty or a change-me placeholder");
        }

        // The values reach the services they are meant for.
        var services = (await ComposeProject.ResolveAsync(LoadBalanced)).GetProperty("services");
        Assert.Equal("from-env-SEARXNG_SECRET", ComposeProject.Environment(services.GetProperty("searxng"))["SEARXNG_SECRET"]);
        foreach (var name in new[] { "idp", "mcp-front", "chat" })
        {
            Assert.Equal("from-env-INTROSPECTION_CLIENT_SECRET", ComposeProject.Environment(services.GetProperty(name))["INTROSPECTION_CLIENT_SECRET"]);
        }

        // The MCP reference server's get-env tool shows its environment to any caller: no secret there.
        Assert.DoesNotContain(ComposeProject.Environment(services.GetProperty("mcp")), variable => LooksSecret(variable.Key) || variable.Value.StartsWith("from-env-", StringComparison.Ordinal));

        var ignored = await DeployTools.RunAsync("git", ["check-ignore", "-q", ".env"]);
        Assert.True(ignored.ExitCode == 0, ".env must be git-ignored");
        var dockerignore = await File.ReadAllLinesAsync(Path.Combine(TestPaths.RepositoryRoot, ".dockerignore"));
        Assert.Contains(".env", dockerignore);
    }

    [Fact]
    public async Task The_gateway_is_wired_to_the_services_of_the_stack()
    {
        var config = await ComposeProject.ResolveAsync(Base);
        var services = ComposeProject.Services(config).ToDictionary(service => service.Name, service => service.Service);
        var gateway = ComposeProject.Environment(services["gateway"]);
        var ports = ComposeProject.Services(config).SelectMany(service => ComposeProject.Ports(service.Name, service.Service)).ToList();
        int PortOf(string service) => int.Parse(ComposeProject.Environment(services[service])["PORT"], System.Globalization.CultureInfo.InvariantCulture);

        // The issuer is the URL the browser uses; the gateway shares the provider's network namespace
        // so that the same URL reaches the provider from inside.
        Assert.Equal("service:idp", services["gateway"].GetProperty("network_mode").GetString());
        var authority = new Uri(gateway["Auth__Authority"]);
        Assert.Equal(ComposeProject.Environment(services["idp"])["ISSUER"], gateway["Auth__Authority"]);
        Assert.Equal("localhost", authority.Host);
        Assert.Equal(PortOf("idp"), authority.Port);
        Assert.Contains(ports, port => port.Service == "idp" && port.HostPort == authority.Port && port.ContainerPort == authority.Port);
        Assert.Equal("false", gateway["Auth__RequireHttpsMetadata"]);

        var origin = new Uri(gateway["Gateway__PublicOrigin"]);
        Assert.Equal("localhost", origin.Host);
        Assert.Contains(ports, port => port.Service == "idp" && port.HostPort == origin.Port && port.ContainerPort == origin.Port);

        Assert.Equal("redis:6379", gateway["Redis__Configuration"].Split(',')[0]);
        var mcp = new Uri(gateway["Upstreams__Mcp__Url"]);
        Assert.Equal(("mcp-front", PortOf("mcp-front"), "/mcp"), (mcp.Host, mcp.Port, mcp.AbsolutePath));
        var mcpUpstream = new Uri(ComposeProject.Environment(services["mcp-front"])["UPSTREAM"]);
        Assert.Equal(("mcp", PortOf("mcp")), (mcpUpstream.Host, mcpUpstream.Port));
        var chat = new Uri(gateway["Upstreams__Chat__Url"]);
        Assert.Equal(("chat", PortOf("chat")), (chat.Host, chat.Port));
        Assert.Equal("http://searxng:8080/search", gateway["Tools__WebSearch__Url"]);
        foreach (var resourceServer in new[] { "mcp-front", "chat" })
        {
            var introspection = new Uri(ComposeProject.Environment(services[resourceServer])["INTROSPECTION_URL"]);
            Assert.Equal(("idp", PortOf("idp")), (introspection.Host, introspection.Port));
        }

        var files = Assert.Single(ComposeProject.Volumes(services["gateway"]), mount => mount.Target == gateway["Tools__FileRead__Root"]);
        Assert.True(files.ReadOnly, "the file_read root must be mounted read-only");
        Assert.Equal(Path.Combine(TestPaths.RepositoryRoot, "deploy", "dev", "files"), files.Source.TrimEnd('/'));
        Assert.True(services["gateway"].GetProperty("read_only").GetBoolean(), "the gateway's root file system must be read-only");

        var searxngSettings = Assert.Single(ComposeProject.Volumes(services["searxng"]));
        Assert.Equal("/etc/searxng/settings.yml", searxngSettings.Target);
        var settings = await DeployTools.ParseYamlFileAsync(searxngSettings.Source);
        Assert.Contains("json", settings.GetProperty("search").GetProperty("formats").EnumerateArray().Select(format => format.GetString()));
        Assert.False(settings.GetProperty("server").GetProperty("limiter").GetBoolean());
    }

    [Fact]
    public async Task The_load_balanced_stack_runs_identical_replicas_behind_nginx()
    {
        var config = await ComposeProject.ResolveAsync(LoadBalanced);
        var services = ComposeProject.Services(config).ToDictionary(service => service.Name, service => service.Service);
        var a = ComposeProject.Environment(services["gateway"]);
        var b = ComposeProject.Environment(services["gateway-b"]);
        var nginx = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "deploy", "compose", "nginx", "nginx.conf"));

        Assert.Equal(a.Where(variable => variable.Key != "ASPNETCORE_URLS").OrderBy(variable => variable.Key, StringComparer.Ordinal),
                     b.Where(variable => variable.Key != "ASPNETCORE_URLS").OrderBy(variable => variable.Key, StringComparer.Ordinal));
        foreach (var key in new[] { "image", "network_mode", "read_only", "volumes" })
        {
            Assert.Equal(services["gateway"].GetProperty(key).GetRawText(), services["gateway-b"].GetProperty(key).GetRawText());
        }

        var upstream = Block(nginx, "upstream mcpgateway");
        var replicaPorts = new[] { a, b }.Select(environment => new Uri(environment["ASPNETCORE_URLS"].Replace("+", "127.0.0.1", StringComparison.Ordinal)).Port).ToArray();
        Assert.Equal(2, replicaPorts.Distinct().Count());
        Assert.All(replicaPorts, port => Assert.Contains($"server 127.0.0.1:{port}", upstream, StringComparison.Ordinal));

        // nginx answers at the public origin, in the same network namespace as the replicas.
        Assert.Equal("service:idp", services["lb"].GetProperty("network_mode").GetString());
        Assert.Contains(ComposeProject.Volumes(services["lb"]), mount => mount.Target == "/etc/nginx/nginx.conf" && mount.ReadOnly);
        var listen = int.Parse(ListenPort().Match(nginx).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new Uri(a["Gateway__PublicOrigin"]).Port, listen);

        var socket = Block(nginx, "location = /mcp");
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", socket, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Connection $connection_upgrade;", socket, StringComparison.Ordinal);
        Assert.Contains("proxy_read_timeout 1h;", socket, StringComparison.Ordinal);
        var chat = Block(nginx, "location = /api/v2/chat");
        Assert.Contains("proxy_buffering off;", chat, StringComparison.Ordinal);
        Assert.Contains("proxy_read_timeout 1h;", chat, StringComparison.Ordinal);
        Assert.Contains("return 404;", Block(nginx, "location = /metrics"), StringComparison.Ordinal);
        // A location with its own proxy_set_header inherits none: the forwarding headers must be in each.
        var server = Block(nginx, "server");
        foreach (var block in new[] { server[..server.IndexOf("location", StringComparison.Ordinal)], socket })
        {
            foreach (var header in new[] { "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Host" })
            {
                Assert.Contains($"proxy_set_header {header} ", block, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Nginx_accepts_the_load_balancer_configuration()
    {
        var nginx = DeployTools.Nginx();
        var prefix = Directory.CreateTempSubdirectory("mcpgw-nginx-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(prefix, "logs"));
            var result = await DeployTools.RunAsync(nginx, [
                "-t", "-p", prefix, "-c", Path.Combine(TestPaths.RepositoryRoot, "deploy", "compose", "nginx", "nginx.conf"),
                "-g", $"pid {Path.Combine(prefix, "nginx.pid")};"]);

            Assert.True(result.ExitCode == 0, result.Describe("nginx -t"));
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    private static bool LooksSecret(string name) => SecretName().IsMatch(name);

    /// <summary>The text of the first <c>{ … }</c> block that follows <paramref name="header"/>.</summary>
    private static string Block(string text, string header)
    {
        var start = Regex.Match(text, @"(?m)^\s*" + Regex.Escape(header) + @"\s*\{");
        Assert.True(start.Success, $"nginx.conf has no '{header} {{' block");
        var depth = 0;
        for (var i = start.Index + start.Length - 1; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[start.Index..(i + 1)];
            }
        }

        throw new InvalidOperationException("unbalanced braces in nginx.conf");
    }

    [GeneratedRegex(@"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|(^|_)KEY$|API_?KEY", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"^\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?::?-)(?<default>[^}]*)|(?::?\?)[^}]*)?\}$")]
    private static partial Regex OnlyInterpolation();

    [GeneratedRegex(@"(?m)^\s*listen\s+(\d+)\s*;")]
    private static partial Regex ListenPort();
}
