using System.Globalization;

namespace Bench;

/// <summary>The run's knobs, from BENCH_* environment variables (bench/run.sh sets the defaults).</summary>
internal sealed record BenchSettings
{
    public required string Repo { get; init; }

    public required string Builds { get; init; }

    public required string Logs { get; init; }

    public string? Output { get; init; }

    public TimeSpan ChatDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ChatWarmUp { get; init; } = TimeSpan.FromSeconds(5);

    public int ChatRounds { get; init; } = 2;

    public TimeSpan ChatPreWarm { get; init; } = TimeSpan.FromSeconds(15);

    public int ExperimentRounds { get; init; } = 2;

    public int WrkThreads { get; init; } = 2;

    public int WrkConnections { get; init; } = 32;

    public TimeSpan McpDuration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan McpWarmUp { get; init; } = TimeSpan.FromSeconds(3);

    public int[] McpClients { get; init; } = [1, 64];

    /// <summary>Clients of the Streamable HTTP <c>/mcp</c> line (issue 11 asks for 1 and 16).</summary>
    public int[] McpHttpClients { get; init; } = [1, 16];

    public int[] IdleCounts { get; init; } = [1000, 10000];

    public TimeSpan IdleSettle { get; init; } = TimeSpan.FromSeconds(5);

    public int RefreshRounds { get; init; } = 3;

    public HashSet<string> Sections { get; init; } = ["chat", "bridge", "mcp-http", "idle", "refresh"];

    public static BenchSettings FromEnvironment()
    {
        var repo = Environment.GetEnvironmentVariable("BENCH_REPO") ?? Directory.GetCurrentDirectory();
        return new BenchSettings
        {
            Repo = repo,
            Builds = Environment.GetEnvironmentVariable("BENCH_BUILDS") ?? Path.Combine(repo, "bench", ".artifacts", "bin"),
            Logs = Environment.GetEnvironmentVariable("BENCH_LOGS") ?? Path.Combine(repo, "bench", "results", "logs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
            Output = Environment.GetEnvironmentVariable("BENCH_OUTPUT") is { Length: > 0 } output ? output : null,
            ChatDuration = Seconds("BENCH_CHAT_SECONDS", 15),
            ChatWarmUp = Seconds("BENCH_CHAT_WARMUP_SECONDS", 5),
            ChatRounds = Integer("BENCH_CHAT_ROUNDS", 2),
            ChatPreWarm = Seconds("BENCH_CHAT_PREWARM_SECONDS", 15),
            ExperimentRounds = Integer("BENCH_EXPERIMENT_ROUNDS", 2),
            WrkThreads = Integer("BENCH_WRK_THREADS", 2),
            WrkConnections = Integer("BENCH_WRK_CONNECTIONS", 32),
            McpDuration = Seconds("BENCH_MCP_SECONDS", 10),
            McpWarmUp = Seconds("BENCH_MCP_WARMUP_SECONDS", 5),
            McpClients = Integers("BENCH_MCP_CLIENTS", [1, 64]),
            McpHttpClients = Integers("BENCH_MCP_HTTP_CLIENTS", [1, 16]),
            IdleCounts = Integers("BENCH_IDLE_COUNTS", [1000, 10000]),
            IdleSettle = Seconds("BENCH_IDLE_SETTLE_SECONDS", 5),
            RefreshRounds = Integer("BENCH_REFRESH_ROUNDS", 3),
            Sections = Environment.GetEnvironmentVariable("BENCH_SECTIONS") is { Length: > 0 } sections
                ? [.. sections.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : ["chat", "bridge", "idle", "refresh"],
        };
    }

    private static TimeSpan Seconds(string name, int fallback) => TimeSpan.FromSeconds(Integer(name, fallback));

    private static int Integer(string name, int fallback)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static int[] Integers(string name, int[] fallback)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? [.. value.Split(',').Select(item => int.Parse(item.Trim(), CultureInfo.InvariantCulture))]
            : fallback;
}
