using System.Globalization;
using System.Text;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// The seed of every generated hostile case: <c>HOSTILE_SEED</c> when set (to replay a run), otherwise a
/// fresh one. It is printed once per run and named in every failure message.
/// </summary>
internal static class HostileSeed
{
    public const string Variable = "HOSTILE_SEED";

    private static readonly Lazy<int> Seed = new(Choose);

    public static int Value => Seed.Value;

    /// <summary>How to replay a failure, for assertion messages.</summary>
    public static string Replay => $"(seed {Value}; replay with {Variable}={Value})";

    /// <summary>An independent, reproducible generator per test: the run's seed mixed with the test's name (FNV-1a, stable across processes).</summary>
    public static Random For(string test)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(test))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return new Random(Value ^ (int)hash);
    }

    private static int Choose()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var seed = int.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : Random.Shared.Next();
        Console.WriteLine($"Hostile input seed: {seed} ({(configured is null ? "fresh" : "from " + Variable)}; replay with {Variable}={seed})");
        return seed;
    }
}
