using System.Diagnostics;
using System.Globalization;

namespace Bench;

/// <summary>Where things are: the repository, the dev stack (deploy/dev), the Release builds, this run's logs.</summary>
internal sealed record BenchPaths(string Repo, string Builds, string Logs)
{
    public string DevStack => Path.Combine(Repo, "deploy", "dev");

    public string Dll(string project, string assembly) => Path.Combine(Builds, project, "release", assembly + ".dll");

    public string Gateway => Dll("McpGateway", "McpGateway");

    /// <summary>The gateway build a run measures: <c>BENCH_GATEWAY_DLL</c> (another build for the whole run, e.g. a baseline to profile the same way), else <see cref="Gateway"/>.</summary>
    public string MeasuredGateway => Environment.GetEnvironmentVariable("BENCH_GATEWAY_DLL") is { Length: > 0 } other ? other : Gateway;
}

/// <summary>A started gateway: its process, its address, and how long it took from start to <c>/readyz</c> 200.</summary>
internal sealed record GatewayInstance(ManagedProcess Process, Uri BaseAddress, TimeSpan StartToReady);

/// <summary>Starts the parts of a run, each on a free 127.0.0.1 port and stopped by pid at the end.</summary>
internal sealed class Stack(BenchPaths paths)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public BenchPaths Paths => paths;

    public async Task<(ManagedProcess Process, string Configuration)> StartRedisAsync()
    {
        var port = Ports.Free();
        var directory = Directory.CreateTempSubdirectory("mcpgw-bench-redis-").FullName;
        var redis = ManagedProcess.Start("redis", "redis-server",
            ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no"],
            null, directory, paths.Logs);
        await redis.WaitForLineAsync(line => line.Contains("Ready to accept connections", StringComparison.Ordinal), ReadyTimeout);
        return (redis, $"127.0.0.1:{port}");
    }

    /// <summary>The development OpenID provider (deploy/dev/idp.mjs) with the given access-token lifetime.</summary>
    public async Task<(ManagedProcess Process, Uri Issuer)> StartIdpAsync(int accessTokenTtlSeconds, string name = "idp")
    {
        var port = Ports.Free();
        var idp = ManagedProcess.Start(name, "node", ["idp.mjs"], new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["ACCESS_TOKEN_TTL"] = accessTokenTtlSeconds.ToString(CultureInfo.InvariantCulture),
        }, paths.DevStack, paths.Logs);
        await idp.WaitForLineAsync(line => line.StartsWith("IDP READY", StringComparison.Ordinal), ReadyTimeout);
        return (idp, new Uri($"http://127.0.0.1:{port}"));
    }

    public Task<(ManagedProcess Process, Uri Address)> StartChatUpstreamAsync()
        => StartDotnetAppAsync("chat-upstream", paths.Dll("ChatUpstream", "ChatUpstream"), "CHAT UPSTREAM READY", []);

    public Task<(ManagedProcess Process, Uri Address)> StartMcpEchoAsync()
        => StartDotnetAppAsync("mcp-echo", paths.Dll("McpEcho", "McpEcho"), "MCP ECHO READY", []);

    public Task<(ManagedProcess Process, Uri Address)> StartBareProxyAsync(Uri upstream)
        => StartDotnetAppAsync("bare-yarp", paths.Dll("BareProxy", "BareProxy"), "BARE PROXY READY", new() { ["UPSTREAM"] = upstream.AbsoluteUri });

    /// <summary>
    /// The gateway's Release build as an operator runs it (<c>dotnet McpGateway.dll</c>, configuration
    /// in the environment), timed from process start to the first <c>/readyz</c> 200.
    /// </summary>
    public async Task<GatewayInstance> StartGatewayAsync(string name, IReadOnlyDictionary<string, string> settings, int? reusePort = null, string? dll = null)
    {
        var port = reusePort ?? Ports.Free();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Gateway__PublicOrigin"] = $"http://127.0.0.1:{port}",
            ["Auth__RequireHttpsMetadata"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        dll ??= paths.MeasuredGateway;
        var process = ManagedProcess.Start(name, "dotnet", [dll], environment, Path.GetDirectoryName(dll)!, paths.Logs, outputToFileOnly: true);
        var address = new Uri($"http://127.0.0.1:{port}");
        var ready = await WaitForOkAsync(process, new Uri(address, "/readyz"));
        return new GatewayInstance(process, address, ready);
    }

    /// <summary>Polls <paramref name="url"/> every 10 ms; the time is from the process's start.</summary>
    public static async Task<TimeSpan> WaitForOkAsync(ManagedProcess process, Uri url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        var last = "";
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited with code {process.Process.ExitCode}:\n{process.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return Stopwatch.GetElapsedTime(process.StartedTimestamp);
                }

                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{process.Name} was not ready within {ReadyTimeout.TotalSeconds:F0} s ({last}):\n{process.Tail()}");
    }

    private async Task<(ManagedProcess Process, Uri Address)> StartDotnetAppAsync(string name, string dll, string readyLine, Dictionary<string, string> environment)
    {
        var port = Ports.Free();
        environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        if (Environment.GetEnvironmentVariable("BENCH_PROFILE_DIR") is { Length: > 0 })
        {
            environment["DOTNET_PerfMapEnabled"] = "1";
            // Without this, JIT'd code runs from a double-mapped memfd and perf cannot name it.
            environment["DOTNET_EnableWriteXorExecute"] = "0";
        }

        var process = ManagedProcess.Start(name, "dotnet", [dll], environment, Path.GetDirectoryName(dll)!, paths.Logs);
        await process.WaitForLineAsync(line => line.Contains(readyLine, StringComparison.Ordinal), ReadyTimeout);
        return (process, new Uri($"http://127.0.0.1:{port}"));
    }
}
