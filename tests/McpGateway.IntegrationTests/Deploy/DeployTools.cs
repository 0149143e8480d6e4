using System.Diagnostics;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// The command-line tools the deployment tests use, all offline: Debian's <c>docker-compose</c> (v1.29,
/// which validates and resolves a compose file without a Docker engine), <c>kubectl kustomize</c>, and
/// Python's PyYAML (a dependency of Debian's docker-compose) to turn the YAML they print into JSON.
/// scripts/test.sh installs them; when one is missing the test is skipped, naming the package.
/// </summary>
internal static class DeployTools
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Describe(string what) => $"{what} exited with {ExitCode}:\n{Error}\n{Output}";
    }

    /// <summary>Debian's docker-compose 1.29 (the oldest syntax the compose files must keep to).</summary>
    public static string DockerCompose() => Require("docker-compose", "apt-get install -y docker-compose");

    public static string Kubectl() => Require("kubectl", "apt-get install -y kubernetes-client (or any kubectl ≥ 1.14)");

    public static string Nginx() => Require("nginx", "apt-get install -y nginx-light");

    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? TestPaths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Every document of a YAML stream, as JSON (through PyYAML's safe loader).</summary>
    public static async Task<IReadOnlyList<JsonElement>> ParseYamlAsync(string yaml)
    {
        const string script = "import sys, json, yaml\njson.dump([d for d in yaml.safe_load_all(sys.stdin) if d is not None], sys.stdout)";
        var result = await RunAsync(Python(), ["-c", script], input: yaml);
        Assert.True(result.ExitCode == 0, result.Describe("python3 (PyYAML)"));
        using var document = JsonDocument.Parse(result.Output);
        return [.. document.RootElement.EnumerateArray().Select(element => element.Clone())];
    }

    public static async Task<JsonElement> ParseYamlFileAsync(string path)
        => Assert.Single(await ParseYamlAsync(await File.ReadAllTextAsync(path)));

    public static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static string Require(string name, string install)
    {
        var path = FindOnPath(name);
        Assert.SkipWhen(path is null, $"{name} is not installed (scripts/test.sh installs it: {install})");
        return path!;
    }

    private static readonly Lazy<string?> PythonWithYaml = new(
        () => new[] { "/usr/bin/python3", FindOnPath("python3") }.FirstOrDefault(candidate => candidate is not null && File.Exists(candidate) && HasPyYaml(candidate)));

    /// <summary>Debian's python3 has PyYAML whenever docker-compose is installed; another python3 may too.</summary>
    private static string Python()
    {
        Assert.SkipWhen(PythonWithYaml.Value is null, "python3 with PyYAML is not installed (scripts/test.sh installs it: apt-get install -y python3-yaml, a dependency of docker-compose)");
        return PythonWithYaml.Value!;
    }

    private static bool HasPyYaml(string python)
    {
        using var process = Process.Start(new ProcessStartInfo(python, ["-c", "import yaml"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
