using System.Globalization;
using System.Net;
using McpGateway.IntegrationTests.Deploy;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hosting;

/// <summary>
/// A .NET developer's way in: a fresh copy of the sources (no wwwroot, no node_modules), built and run
/// with the plain dotnet commands. The project's build must produce the demo frontend; a build told to
/// skip it still answers <c>/</c> with how to build it.
/// </summary>
public sealed class DotnetBuildFrontendTests : IAsyncLifetime
{
    private static readonly string[] RootFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig"];
    private static readonly HashSet<string> BuildOutput = new(StringComparer.Ordinal) { "bin", "obj", "wwwroot", "node_modules", "dist" };

    private readonly string _copy = Directory.CreateTempSubdirectory("mcpgw-dotnet-build-").FullName;

    private string Project => Path.Combine(_copy, "src", "McpGateway");

    public ValueTask InitializeAsync()
    {
        foreach (var file in RootFiles)
        {
            File.Copy(Path.Combine(TestPaths.RepositoryRoot, file), Path.Combine(_copy, file));
        }

        CopySources(Path.Combine(TestPaths.RepositoryRoot, "src", "McpGateway"), Project);
        CopySources(Path.Combine(TestPaths.RepositoryRoot, "src", "web"), Path.Combine(_copy, "src", "web"));
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Dotnet_build_produces_the_demo_frontend_that_dotnet_run_serves_and_a_skipped_build_explains_itself()
    {
        await BuildAsync("-p:BuildFrontend=false");
        Assert.False(File.Exists(Path.Combine(Project, "wwwroot", "index.html")), "-p:BuildFrontend=false still built the frontend");
        await using (var skipped = await RunAsync())
        {
            using var page = await skipped.Http.GetAsync("/");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("demo frontend is not built", html, StringComparison.Ordinal);
            Assert.Contains("dotnet build src/McpGateway", html, StringComparison.Ordinal);

            // API paths keep their JSON 404.
            using var api = await skipped.Http.GetAsync("/api/nothing-here");
            Assert.Equal("application/json", api.Content.Headers.ContentType?.MediaType);
        }

        await BuildAsync();
        await using var built = await RunAsync();
        using var index = await built.Http.GetAsync("/");
        var document = await index.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("<div id=\"app\"></div>", document, StringComparison.Ordinal);
        var script = System.Text.RegularExpressions.Regex.Match(document, "src=\"(/assets/[^\"]+\\.js)\"");
        Assert.True(script.Success, "index.html names no built script: " + document);
        using var bundle = await built.Http.GetAsync(script.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Contains("javascript", bundle.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    private async Task BuildAsync(params string[] properties)
    {
        // No build servers left behind by the test; the NuGet packages come from the machine's cache.
        var result = await DeployTools.RunAsync(
            "dotnet", ["build", Project, "-nodeReuse:false", "-p:UseSharedCompilation=false", .. properties],
            workingDirectory: _copy, timeout: TimeSpan.FromMinutes(6));
        Assert.True(result.ExitCode == 0, result.Describe("dotnet build " + string.Join(' ', properties)));
    }

    private async Task<RunningGateway> RunAsync()
    {
        var port = FreePort.Next();
        var origin = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        // The least configuration that starts: no Redis (in-memory mode), an authorization server that is not there
        // (registration retries in the background); the static files do not depend on either.
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = origin,
            ["Gateway__PublicOrigin"] = origin,
            ["Auth__Authority"] = "http://127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Auth__RequireHttpsMetadata"] = "false",
            ["DOTNET_NOLOGO"] = "1",
        };
        var process = await ExternalProcess.StartAsync(
            "dotnet-run", "dotnet", ["run", "--no-build", "--project", Project], environment, _copy,
            line => line.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        return new RunningGateway(process, new HttpClient { BaseAddress = new Uri(origin) });
    }

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from).Where(directory => !BuildOutput.Contains(Path.GetFileName(directory))))
        {
            CopySources(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_copy, recursive: true);
        return ValueTask.CompletedTask;
    }

    private sealed class RunningGateway(ExternalProcess process, HttpClient http) : IAsyncDisposable
    {
        public HttpClient Http { get; } = http;

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await process.DisposeAsync();
        }
    }
}
