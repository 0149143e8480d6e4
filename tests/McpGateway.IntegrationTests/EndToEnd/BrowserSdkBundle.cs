using System.Diagnostics;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// The official MCP TypeScript SDK (npm <c>@modelcontextprotocol/sdk</c>, pinned with esbuild in
/// tests/browser-sdk) bundled by esbuild into one classic browser script that puts the SDK's
/// <c>Client</c>, <c>StreamableHTTPClientTransport</c>, <c>CreateMessageRequestSchema</c> and its
/// eval-free JSON Schema validator onto <c>window.mcpSdk</c>. Installed (<c>npm ci</c>) when missing or
/// older than the lock file, and bundled once per test run.
/// </summary>
internal static class BrowserSdkBundle
{
    private static readonly Lazy<Task<string>> Bundled = new(BundleAsync);

    public static string Folder => Path.Combine(TestPaths.RepositoryRoot, "tests", "browser-sdk");

    private static string Output => Path.Combine(Folder, "dist", "mcp-sdk.js");

    /// <summary>The bundle's text.</summary>
    public static Task<string> ScriptAsync() => Bundled.Value;

    private static async Task<string> BundleAsync()
    {
        var installed = Path.Combine(Folder, "node_modules", ".package-lock.json");
        if (!File.Exists(Path.Combine(Folder, "node_modules", "@modelcontextprotocol", "sdk", "package.json"))
            || !File.Exists(Path.Combine(Folder, "node_modules", "esbuild", "package.json"))
            || !File.Exists(installed)
            || File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json")) > File.GetLastWriteTimeUtc(installed))
        {
            await NpmAsync("ci", "--no-audit", "--no-fund", "--loglevel=error");
        }

        if (File.Exists(Output))
        {
            File.Delete(Output);
        }

        await NpmAsync("run", "--silent", "bundle");
        if (!File.Exists(Output))
        {
            throw new InvalidOperationException($"npm run bundle in tests/browser-sdk wrote no {Output}.");
        }

        return await File.ReadAllTextAsync(Output);
    }

    private static async Task NpmAsync(params string[] arguments)
    {
        using var npm = Process.Start(new ProcessStartInfo("npm", arguments)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = npm.StandardError.ReadToEndAsync();
        var output = await npm.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await npm.WaitForExitAsync(timeout.Token);
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm {string.Join(' ', arguments)} in tests/browser-sdk failed ({npm.ExitCode}):\n{output}\n{await errors}");
        }
    }
}
