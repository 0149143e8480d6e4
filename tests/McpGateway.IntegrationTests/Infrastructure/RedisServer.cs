using StackExchange.Redis;
using Testcontainers.Redis;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A real Redis for the tests: Debian's <c>redis-server</c> started on 127.0.0.1 with append-only
/// persistence (so a stop and start loses nothing), or a Testcontainers Redis where a Docker engine
/// runs and <c>redis-server</c> is not installed.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private ExternalProcess? _process;
    private RedisContainer? _container;

    private RedisServer(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000";

    public static async Task<RedisServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("mcpgw-redis-").FullName;
        var server = new RedisServer(FreePort.Next(), directory);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server again on the same port and data directory, after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        if (FindOnPath("redis-server") is { } executable)
        {
            _process = await ExternalProcess.StartAsync(
                "redis",
                executable,
                ["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", _directory,
                 "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"],
                environment: null,
                _directory,
                line => line.Contains("Ready to accept connections", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20));
            return;
        }

        _container ??= new RedisBuilder("redis:7").WithPortBinding(Port, 6379).WithCommand("--appendonly", "yes").Build();
        await _container.StartAsync();
    }

    /// <summary>A clean shutdown: the append-only file keeps every write.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
        else if (_container is not null)
        {
            await _container.StopAsync();
        }
    }

    public async Task<ConnectionMultiplexer> ConnectAsync() => await ConnectionMultiplexer.ConnectAsync(Configuration);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .Concat([Path.Combine("/usr/bin", name), Path.Combine("/usr/sbin", name)])
            .FirstOrDefault(File.Exists);
}
