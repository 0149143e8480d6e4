using System.Text.Json;
using System.Text.RegularExpressions;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// The compose files of the repository as docker-compose resolves them (anchors, interpolation, merged
/// override files), with every variable of .env.example set to a recognisable test value.
/// </summary>
internal static partial class ComposeProject
{
    public const string BaseFile = "docker-compose.yml";
    public const string LoadBalancerFile = "docker-compose.lb.yml";
    public const string ConnectorsFile = "docker-compose.connectors.yml";

    public static string EnvExamplePath => Path.Combine(TestPaths.RepositoryRoot, ".env.example");

    /// <summary>The value each .env.example variable gets in these tests: <c>from-env-NAME</c> (empty ones stay empty).</summary>
    public static Dictionary<string, string> TestEnvironment()
        => EnvExample().ToDictionary(entry => entry.Key, entry => entry.Value.Length == 0 ? "" : "from-env-" + entry.Key);

    /// <summary>KEY=VALUE lines of .env.example, in order (comments and blank lines skipped).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> EnvExample()
        => [.. File.ReadAllLines(EnvExamplePath)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .Select(parts => KeyValuePair.Create(parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : ""))];

    public static async Task<DeployTools.Result> ConfigAsync(IReadOnlyList<string> files, bool quiet, IReadOnlyDictionary<string, string>? environment = null, string? envFile = null)
    {
        var arguments = new List<string>();
        if (envFile is not null)
        {
            arguments.AddRange(["--env-file", envFile]);
        }

        foreach (var file in files)
        {
            arguments.AddRange(["-f", file]);
        }

        arguments.Add("config");
        if (quiet)
        {
            arguments.Add("-q");
        }

        return await DeployTools.RunAsync(DeployTools.DockerCompose(), arguments, environment: environment ?? TestEnvironment());
    }

    /// <summary>The resolved configuration (<c>docker-compose config</c>) as JSON.</summary>
    public static async Task<JsonElement> ResolveAsync(params string[] files)
    {
        var result = await ConfigAsync(files, quiet: false);
        Assert.True(result.ExitCode == 0, result.Describe("docker-compose config"));
        return Assert.Single(await DeployTools.ParseYamlAsync(result.Output));
    }

    /// <summary>A compose file as written (YAML anchors resolved, <c>${…}</c> not interpolated).</summary>
    public static async Task<JsonElement> RawAsync(string file)
        => await DeployTools.ParseYamlFileAsync(Path.Combine(TestPaths.RepositoryRoot, file));

    public static IEnumerable<(string Name, JsonElement Service)> Services(JsonElement config)
        => config.GetProperty("services").EnumerateObject().Select(service => (service.Name, service.Value));

    /// <summary>A service's environment, whether written as a map or as a list of NAME=value.</summary>
    public static Dictionary<string, string> Environment(JsonElement service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!service.TryGetProperty("environment", out var element))
        {
            return environment;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var variable in element.EnumerateObject())
            {
                environment[variable.Name] = Scalar(variable.Value);
            }
        }
        else
        {
            foreach (var item in element.EnumerateArray())
            {
                var parts = item.GetString()!.Split('=', 2);
                environment[parts[0]] = parts.Length > 1 ? parts[1] : "";
            }
        }

        return environment;
    }

    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>The names of the services this one depends on, with their condition (v1 prints the long form).</summary>
    public static Dictionary<string, string> DependsOn(JsonElement service)
    {
        var dependencies = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!service.TryGetProperty("depends_on", out var element))
        {
            return dependencies;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in element.EnumerateArray())
            {
                dependencies[name.GetString()!] = "service_started";
            }
        }
        else
        {
            foreach (var dependency in element.EnumerateObject())
            {
                dependencies[dependency.Name] = dependency.Value.TryGetProperty("condition", out var condition) ? condition.GetString()! : "service_started";
            }
        }

        return dependencies;
    }

    public sealed record PublishedPort(string Service, string HostIp, int HostPort, int ContainerPort);

    /// <summary>Every port a service publishes on the host, short or long syntax.</summary>
    public static IEnumerable<PublishedPort> Ports(string name, JsonElement service)
    {
        if (!service.TryGetProperty("ports", out var ports))
        {
            yield break;
        }

        foreach (var port in ports.EnumerateArray())
        {
            if (port.ValueKind == JsonValueKind.Object)
            {
                yield return new PublishedPort(
                    name,
                    port.TryGetProperty("host_ip", out var ip) ? ip.GetString()! : "",
                    int.Parse(Scalar(port.GetProperty("published")), System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(Scalar(port.GetProperty("target")), System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            var match = ShortPortSyntax().Match(Scalar(port));
            Assert.True(match.Success, $"{name}: port '{Scalar(port)}' must be written host-ip:host-port:container-port");
            yield return new PublishedPort(
                name,
                match.Groups["ip"].Value,
                int.Parse(match.Groups["host"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(match.Groups["container"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A bind mount "source:target[:mode]" of a service (short or long syntax).</summary>
    public sealed record Mount(string Source, string Target, bool ReadOnly);

    public static IEnumerable<Mount> Volumes(JsonElement service)
    {
        if (!service.TryGetProperty("volumes", out var volumes))
        {
            yield break;
        }

        foreach (var volume in volumes.EnumerateArray())
        {
            if (volume.ValueKind == JsonValueKind.Object)
            {
                yield return new Mount(
                    volume.GetProperty("source").GetString()!, volume.GetProperty("target").GetString()!,
                    volume.TryGetProperty("read_only", out var ro) && ro.ValueKind == JsonValueKind.True);
                continue;
            }

            var parts = volume.GetString()!.Split(':');
            yield return new Mount(parts[0], parts.Length > 1 ? parts[1] : parts[0], parts.Length > 2 && parts[2].Split(',').Contains("ro"));
        }
    }

    [GeneratedRegex(@"^(?:(?<ip>[0-9.]+|\[[0-9a-fA-F:]+\]):)?(?<host>\d+):(?<container>\d+)(?:/(?<proto>tcp|udp))?$")]
    private static partial Regex ShortPortSyntax();
}
