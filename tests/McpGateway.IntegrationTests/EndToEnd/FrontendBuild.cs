using System.Diagnostics;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// Makes sure the demo frontend (src/web) is built into the gateway's wwwroot, once per test run:
/// <c>npm ci</c> when its packages are missing or older than package-lock.json, then
/// <c>npm run build</c> when wwwroot/index.html is missing or older than any source of the page.
/// <c>./scripts/test.sh</c> builds it already; this is for running the tests directly.
/// It must run before a gateway starts: a gateway started without wwwroot serves no files.
/// </summary>
internal static class FrontendBuild
{
    private static readonly Lazy<Task> Built = new(BuildAsync);

    public static string Web => Path.Combine(TestPaths.RepositoryRoot, "src", "web");

    public static string Index => Path.Combine(TestPaths.RepositoryRoot, "src", "McpGateway", "wwwroot", "index.html");

    public static Task EnsureBuiltAsync() => Built.Value;

    private static async Task BuildAsync()
    {
        var packages = Path.Combine(Web, "node_modules", ".package-lock.json");
        if (!File.Exists(Path.Combine(Web, "node_modules", "svelte", "package.json")) || !File.Exists(packages)
            || File.GetLastWriteTimeUtc(Path.Combine(Web, "package-lock.json")) > File.GetLastWriteTimeUtc(packages))
        {
            await NpmAsync("ci", "--no-audit", "--no-fund", "--loglevel=error");
        }

        if (!File.Exists(Index) || File.GetLastWriteTimeUtc(Index) < NewestSource())
        {
            await NpmAsync("run", "build");
        }

        if (!File.Exists(Index))
        {
            throw new InvalidOperationException($"npm run build in src/web wrote no {Index}.");
        }
    }

    /// <summary>The newest of the files the build reads (not node_modules, not the unit tests).</summary>
    private static DateTime NewestSource()
    {
        var files = new List<string>();
        foreach (var folder in new[] { "src", "public" })
        {
            var path = Path.Combine(Web, folder);
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories));
            }
        }

        files.AddRange(Directory.EnumerateFiles(Web).Where(file => Path.GetFileName(file) is "index.html" or "package.json" or "package-lock.json"
            or "vite.config.ts" or "svelte.config.js" || (Path.GetFileName(file).StartsWith("tsconfig", StringComparison.Ordinal) && file.EndsWith(".json", StringComparison.Ordinal))));
        return files.Max(File.GetLastWriteTimeUtc);
    }

    private static async Task NpmAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("npm")
        {
            WorkingDirectory = Web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(info) ?? throw new InvalidOperationException("npm could not be started.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm {string.Join(' ', arguments)} in src/web took longer than 10 minutes.");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm {string.Join(' ', arguments)} in src/web failed ({npm.ExitCode}):\n{await output}\n{await errors}");
        }
    }
}
