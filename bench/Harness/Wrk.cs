using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bench;

/// <summary>What one load run measured.</summary>
internal sealed record LoadFigures(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, string Note = "")
{
    /// <summary>CPU time the measured server process spent per request (user + system), in microseconds.</summary>
    public double CpuUsPerRequest { get; init; } = double.NaN;

    /// <summary>Bytes the measured process allocated per request over the window (NaN when it does not say).</summary>
    public double BytesPerRequest { get; init; } = double.NaN;

    /// <summary>
    /// Runs a load and charges the CPU time <paramref name="pid"/> used meanwhile to its requests: on a
    /// shared machine, throughput moves with the neighbours, CPU per request much less.
    /// </summary>
    public static async Task<LoadFigures> WithCpuAsync(int pid, Func<Task<LoadFigures>> load, AllocationProbe? allocations = null)
    {
        var allocatedBefore = allocations is null ? null : await allocations.ReadAsync();
        var before = ManagedProcess.CpuTicks(pid);
        var figures = await load();
        var used = ManagedProcess.CpuTicks(pid) - before;
        var allocatedAfter = allocations is null ? null : await allocations.ReadAsync();
        return figures with
        {
            CpuUsPerRequest = figures.Requests == 0 ? double.NaN : used * 1_000_000.0 / ManagedProcess.TicksPerSecond / figures.Requests,
            BytesPerRequest = AllocationProbe.PerRequest(allocatedBefore, allocatedAfter, figures.Requests),
        };
    }
}

/// <summary>Runs wrk with the chat Lua script and reads its summary (requests/s, the latency distribution, non-2xx answers).</summary>
internal static partial class Wrk
{
    public static async Task<LoadFigures> RunAsync(Uri url, string script, string cookieHeader, int threads, int connections, TimeSpan duration, string logDirectory, string label)
    {
        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { $"-t{threads}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "--timeout", "5s", "-s", script, url.AbsoluteUri })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["BENCH_COOKIE"] = cookieHeader;
        using var wrk = Process.Start(info)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var error = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        Directory.CreateDirectory(logDirectory);
        await File.WriteAllTextAsync(Path.Combine(logDirectory, $"wrk-{label}.txt"), output + error);
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({wrk.ExitCode}): {error}{output}");
        }

        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = NonSuccess().Match(output) is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socketErrors = SocketErrors().Match(output) is { Success: true } socket
            ? Enumerable.Range(1, 4).Sum(group => long.Parse(socket.Groups[group].Value, CultureInfo.InvariantCulture))
            : 0;
        return new LoadFigures(rps, Percentile(output, "50"), Percentile(output, "99"), requests, non2xx + socketErrors);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new InvalidOperationException($"wrk printed no {percent}% latency:\n{output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

internal static class Stats
{
    public static double Percentile(long[] sortedTicks, double percent)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var index = (int)Math.Ceiling(percent / 100 * sortedTicks.Length) - 1;
        return sortedTicks[Math.Clamp(index, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
