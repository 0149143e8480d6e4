using System.Diagnostics;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>Makes sure the Node.js development stack (deploy/dev) has its packages, once per test run.</summary>
internal static class DevStackInstaller
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    public static Task EnsureInstalledAsync() => Installed.Value;

    private static async Task InstallAsync()
    {
        if (Directory.Exists(Path.Combine(TestPaths.DevStack, "node_modules", "oidc-provider")))
        {
            return;
        }

        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"])
        {
            WorkingDirectory = TestPaths.DevStack,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.StandardOutput.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException("npm ci in deploy/dev failed:\n" + await errors);
        }
    }
}
