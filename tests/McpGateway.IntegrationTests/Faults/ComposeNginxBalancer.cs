using System.Globalization;
using McpGateway.IntegrationTests.Deploy;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// The compose stack's load balancer (nginx with deploy/compose/nginx/nginx.conf, as docker-compose.lb.yml runs it) in
/// front of two replicas on this machine. Only what binds it to this test changes: its port and the replicas' (both on
/// 127.0.0.1, as in the compose network namespace), its files in a directory of its own, a log line naming the replica
/// that served each request (nginx writes it when the request ends: a WebSocket's when it closes). Every change is
/// checked to apply, so a config that moves on fails here instead of testing something else.
/// </summary>
internal sealed class ComposeNginxBalancer : IReplicaBalancer
{
    private const int ComposeListenPort = 8080;
    private static readonly int[] ComposeReplicaPorts = [8081, 8082];

    private readonly ExternalProcess _nginx;
    private readonly DirectoryInfo _directory;
    private readonly int[] _backends;

    private ComposeNginxBalancer(ExternalProcess nginx, DirectoryInfo directory, int port, int[] backends)
    {
        _nginx = nginx;
        _directory = directory;
        _backends = backends;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri BaseAddress { get; }

    /// <summary>Requests each replica served, from nginx's log (a WebSocket counts once it has closed).</summary>
    public IReadOnlyList<int> Routed
    {
        get
        {
            var log = Path.Combine(_directory.FullName, "access.log");
            var served = File.Exists(log) ? File.ReadAllLines(log).Select(line => line.Split(',')[^1].Trim()).ToList() : [];
            return [.. _backends.Select(port => served.Count(address => address == $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"))];
        }
    }

    public static async Task<ComposeNginxBalancer> StartAsync(int port, int firstReplica, int secondReplica)
    {
        var nginx = DeployTools.Nginx();
        var directory = Directory.CreateTempSubdirectory("mcpgateway-nginx-");
        // nginx's workers run as nobody when the tests run as root: they write its temporary files here.
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                     | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                     | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        }
        var config = Path.Combine(directory.FullName, "nginx.conf");
        await File.WriteAllTextAsync(config, Bind(await File.ReadAllTextAsync(ComposeConfig), directory.FullName, port, [firstReplica, secondReplica]));
        var process = await ExternalProcess.StartAsync("nginx", nginx, ["-p", directory.FullName, "-c", config, "-e", "stderr"], null,
            directory.FullName, line => line.Contains("start worker process", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        return new ComposeNginxBalancer(process, directory, port, [firstReplica, secondReplica]);
    }

    public async ValueTask DisposeAsync()
    {
        await _nginx.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private static string ComposeConfig => Path.Combine(TestPaths.RepositoryRoot, "deploy", "compose", "nginx", "nginx.conf");

    private static string Bind(string config, string directory, int port, int[] replicas)
    {
        var bound = "daemon off;\n" + $"pid {directory}/nginx.pid;\n" + "error_log stderr notice;\n" + config;
        bound = Replace(bound, $"listen {ComposeListenPort.ToString(CultureInfo.InvariantCulture)};", $"listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};");
        for (var i = 0; i < replicas.Length; i++)
        {
            bound = Replace(bound, $"server 127.0.0.1:{ComposeReplicaPorts[i].ToString(CultureInfo.InvariantCulture)} ",
                $"server 127.0.0.1:{replicas[i].ToString(CultureInfo.InvariantCulture)} ");
        }

        return Replace(bound, "access_log /dev/stdout;", string.Join("\n    ",
            "log_format replica '$upstream_addr';",
            $"access_log {directory}/access.log replica;",
            $"client_body_temp_path {directory}/body;",
            $"proxy_temp_path {directory}/proxy;",
            $"fastcgi_temp_path {directory}/fastcgi;",
            $"uwsgi_temp_path {directory}/uwsgi;",
            $"scgi_temp_path {directory}/scgi;"));
    }

    private static string Replace(string config, string compose, string here)
    {
        if (!config.Contains(compose, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"deploy/compose/nginx/nginx.conf no longer has \"{compose}\": bind the test's nginx anew.");
        }

        return config.Replace(compose, here, StringComparison.Ordinal);
    }
}
