using System.Net;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// The Dockerfile without a Docker engine: its build stage's COPY and dotnet steps run as written (parsed
/// from the file, so the test breaks when they change) into a temporary root, and the published
/// McpGateway.dll is started like the runtime stage starts it, with the gateway's environment from
/// docker-compose.yml (its hosts pointed at a real Redis and the development OpenID provider on 127.0.0.1).
/// </summary>
[Collection(nameof(PublishedImageCollection))]
public sealed class DockerfilePublishTests(PublishedImage image)
{

    [Fact]
    public void The_image_builds_the_frontend_and_the_gateway_and_runs_it_unprivileged_on_one_port()
    {
        var dockerfile = image.Dockerfile;
        var web = dockerfile.StageFrom("node:20-bookworm-slim");
        var build = dockerfile.StageFrom("mcr.microsoft.com/dotnet/sdk:10.0");
        var runtime = dockerfile.Stages[^1];

        Assert.Equal(3, dockerfile.Stages.Count);
        Assert.Equal(["npm ci --no-audit --no-fund", "npm run build"], web.All("RUN").Select(run => run.Arguments));
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", runtime.Image);

        // Restore runs on the project files alone, so the package layer stays cached while code changes.
        var restore = build.Instructions.ToList().FindIndex(instruction => instruction.Keyword == "RUN" && instruction.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var publish = build.Instructions.ToList().FindIndex(instruction => instruction.Keyword == "RUN" && instruction.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.True(restore >= 0 && publish > restore);
        foreach (var copy in build.Instructions.Take(restore).Where(instruction => instruction.Keyword == "COPY"))
        {
            Assert.All(copy.WithFlags().Operands[..^1], source => Assert.Matches(@"(\.csproj|\.props|global\.json|\.editorconfig)$", source));
        }

        var frontend = build.Instructions.Take(publish).Where(instruction => instruction.Keyword == "COPY" && instruction.WithFlags().Flags.GetValueOrDefault("from") == web.Name);
        Assert.Single(frontend, copy => copy.WithFlags().Operands[^1].TrimEnd('/').EndsWith("wwwroot", StringComparison.Ordinal));

        Assert.Equal("$APP_UID", runtime.One("USER").Arguments);
        Assert.Equal("8080", runtime.One("EXPOSE").Arguments);
        Assert.Equal("http://+:8080", runtime.Environment()["ASPNETCORE_URLS"]);
        Assert.Equal(["dotnet", "McpGateway.dll"], runtime.One("ENTRYPOINT").ExecForm());
        Assert.Equal(["dotnet", "/app/McpGateway.dll", "healthcheck"], HealthcheckCommand(runtime));
        Assert.Equal("/app", runtime.One("WORKDIR").Arguments);
        var published = image.PublishOutput;
        Assert.Contains(runtime.All("COPY"), copy => copy.WithFlags().Flags.GetValueOrDefault("from") == build.Name && copy.WithFlags().Operands[0].TrimEnd('/') == published);
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_dependencies_tests_and_secrets()
    {
        var ignore = new DockerIgnore(File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, ".dockerignore")));

        foreach (var path in new[] { "src/McpGateway/bin/Release/net10.0/McpGateway.dll", "src/McpGateway/obj/project.assets.json", "src/web/node_modules/vite/package.json",
                     "deploy/dev/node_modules/oidc-provider/package.json", "tests/McpGateway.Tests/UnitTest.cs", "tests/artifacts/logs/x.log", "artifacts/x", ".git/HEAD", ".env", ".local-stack/redis.log",
                     "src/McpGateway/wwwroot/index.html" })
        {
            Assert.True(ignore.Excludes(path), $"{path} must not be in the build context");
        }

        foreach (var path in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", "src/McpGateway/McpGateway.csproj", "src/McpGateway/Program.cs",
                     "src/web/package.json", "src/web/package-lock.json", "src/web/src/main.ts", "deploy/dev/idp.mjs", "deploy/dev/package-lock.json", "deploy/compose/node/bind-all.mjs", ".env.example" })
        {
            Assert.False(ignore.Excludes(path), $"{path} must be in the build context");
        }
    }

    [Fact]
    public async Task The_published_gateway_starts_with_the_compose_environment_and_its_healthcheck_command_reports_it()
    {
        var runtime = image.Runtime;
        var compose = await ComposeProject.ResolveAsync(ComposeProject.BaseFile);
        Assert.Equal(image.PublishOutput, runtime.One("WORKDIR").Arguments);
        Assert.True(File.Exists(Path.Combine(image.App, "McpGateway.dll")), "dotnet publish wrote no McpGateway.dll to " + image.App);

        await using var redis = await RedisServer.StartAsync();
        await using var provider = await OidcProvider.StartAsync();
        var port = FreePort.Next();
        var environment = runtime.Environment();
        foreach (var (key, value) in ContainerEnvironment(compose, redis, provider, port))
        {
            environment[key] = value;
        }

        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var entrypoint = runtime.One("ENTRYPOINT").ExecForm();
        await using var gateway = await ExternalProcess.StartAsync(
            "gateway-published", entrypoint[0], entrypoint[1..], environment, image.App,
            line => line.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using (var health = await http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        await WaitUntilReadyAsync(http, gateway);

        // The frontend built by the web stage is served.
        using (var page = await http.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        // HEALTHCHECK runs in the container with the container's environment (ASPNETCORE_URLS gives the port).
        var healthcheck = HealthcheckCommand(runtime).Select(part => part.StartsWith('/') ? image.InImage(part) : part).ToArray();
        var healthy = await DeployTools.RunAsync(healthcheck[0], healthcheck[1..], image.App, environment);
        Assert.True(healthy.ExitCode == 0, healthy.Describe("the HEALTHCHECK command"));
        Assert.Contains("/healthz: 200", healthy.Output, StringComparison.Ordinal);

        await gateway.StopAsync(TimeSpan.FromSeconds(40));
        Assert.True(gateway.HasExited);
        Assert.Contains(gateway.Lines, line => line.Contains("Application is shutting down", StringComparison.Ordinal));
        var unhealthy = await DeployTools.RunAsync(healthcheck[0], healthcheck[1..], image.App, environment);
        Assert.Equal(1, unhealthy.ExitCode);
    }

    /// <summary>
    /// The gateway service's environment from docker-compose.yml, with each compose host replaced by what
    /// runs here: the OpenID provider, Redis, the gateway's own loopback address, the file_read folder
    /// mounted into the container, and a closed port for upstreams that are not needed to be ready.
    /// </summary>
    private static Dictionary<string, string> ContainerEnvironment(System.Text.Json.JsonElement compose, RedisServer redis, OidcProvider provider, int port)
    {
        var services = compose.GetProperty("services");
        var gateway = services.GetProperty("gateway");
        var hosts = services.EnumerateObject().Select(service => service.Name).Append("localhost").ToHashSet(StringComparer.Ordinal);
        var closed = $"127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in ComposeProject.Environment(gateway))
        {
            environment[key] = key switch
            {
                "Auth__Authority" => provider.Issuer,
                "Gateway__PublicOrigin" => $"http://127.0.0.1:{port}",
                "Redis__Configuration" => redis.Configuration,
                "Tools__FileRead__Root" => Assert.Single(ComposeProject.Volumes(gateway), mount => mount.Target == value).Source,
                _ when Uri.TryCreate(value, UriKind.Absolute, out var uri) && hosts.Contains(uri.Host) => $"{uri.Scheme}://{closed}{uri.PathAndQuery}",
                _ => value,
            };
        }

        foreach (var (key, value) in environment)
        {
            Assert.DoesNotContain(hosts, host => value.Contains("//" + host + ":", StringComparison.Ordinal) || value.StartsWith(host + ":", StringComparison.Ordinal));
        }

        Assert.Equal("false", environment["Auth__RequireHttpsMetadata"]);
        return environment;
    }

    internal static async Task WaitUntilReadyAsync(HttpClient http, ExternalProcess gateway)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync("/readyz");
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                Assert.Contains("\"Healthy\"", last, StringComparison.Ordinal);
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("the published gateway did not become ready: " + last + "\n" + gateway.Tail());
    }

    internal static string[] HealthcheckCommand(Dockerfile.Stage runtime)
    {
        var healthcheck = runtime.One("HEALTHCHECK").Arguments;
        var cmd = healthcheck.IndexOf("CMD ", StringComparison.Ordinal);
        Assert.True(cmd >= 0, "HEALTHCHECK needs a CMD");
        return Dockerfile.ParseExecForm(healthcheck[(cmd + 4)..].Trim());
    }
}

[CollectionDefinition(nameof(PublishedImageCollection))]
public sealed class PublishedImageCollection : ICollectionFixture<PublishedImage>;
