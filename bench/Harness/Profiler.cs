using System.Diagnostics;

namespace Bench;

/// <summary>
/// Optional profiling (bench/profile.sh sets BENCH_PROFILE_DIR): a CPU-sampling trace and runtime
/// counters of the gateway while a load runs, and a GC heap dump of the gateway holding idle sockets.
/// Profiled runs perturb the figures; their tables are not the published ones.
/// </summary>
internal sealed class Profiler(string? directory)
{
    private static readonly string Tools = Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".dotnet", "tools");

    public bool Enabled => directory is not null;

    public static Profiler FromEnvironment() => new(Environment.GetEnvironmentVariable("BENCH_PROFILE_DIR") is { Length: > 0 } dir ? dir : null);

    /// <summary>Starts a trace and counters of <paramref name="pid"/> for <paramref name="duration"/>; await the result when the load is over.</summary>
    public Task WhileLoadAsync(int pid, string label, TimeSpan duration)
    {
        if (directory is null)
        {
            return Task.CompletedTask;
        }

        Directory.CreateDirectory(directory);
        var seconds = ((int)duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // perf sees everything the CPU does for the gateway (JIT'd code through the perf map, the GC, the
        // kernel's network stack); the counters give the allocation rate and GC activity for the same window
        // (System.Runtime only: listening to System.Net.Http would switch on its per-request events).
        return Task.WhenAll(
            RunAsync("perf", "record", "-g", "-F", "499", "-p", pid.ToString(), "-o", Path.Combine(directory, label + ".perf.data"), "--", "sleep", seconds),
            RunAsync(Path.Combine(Tools, "dotnet-counters"), "collect", "-p", pid.ToString(), "--counters", "System.Runtime", "--format", "csv",
                "--refresh-interval", "1", "--duration", duration.ToString(@"hh\:mm\:ss"), "-o", Path.Combine(directory, label + ".counters.csv")));
    }

    /// <summary>Allocation sampling (GC AllocationTick events with stacks) while a load runs.</summary>
    public Task AllocationsWhileLoadAsync(int pid, string label, TimeSpan duration)
    {
        if (directory is null)
        {
            return Task.CompletedTask;
        }

        Directory.CreateDirectory(directory);
        return RunAsync(Path.Combine(Tools, "dotnet-trace"), "collect", "-p", pid.ToString(), "--profile", "gc-verbose", "--duration", duration.ToString(@"hh\:mm\:ss"),
            "-o", Path.Combine(directory, label + ".alloc.nettrace"));
    }

    /// <summary>A heap dump (it forces a full GC in the gateway): the live GC heap, and the resident set after that GC.</summary>
    public async Task<(long HeapBytes, long RssKiB)> HeapDumpAsync(int pid, string label)
    {
        Directory.CreateDirectory(directory!);
        var file = Path.Combine(directory!, label + ".gcdump");
        await RunAsync(Path.Combine(Tools, "dotnet-gcdump"), "collect", "-p", pid.ToString(), "-o", file);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var rss = ManagedProcess.ResidentKiB(pid);
        var report = new ProcessStartInfo(Path.Combine(Tools, "dotnet-gcdump")) { RedirectStandardOutput = true, RedirectStandardError = true };
        report.ArgumentList.Add("report");
        report.ArgumentList.Add(file);
        using var process = Process.Start(report)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var heapLine = text.Split('\n').FirstOrDefault(line => line.Contains("GC Heap bytes", StringComparison.Ordinal)) ?? "";
        var heap = long.TryParse(heapLine.Trim().Split(' ')[0].Replace(",", "", StringComparison.Ordinal), out var bytes) ? bytes : -1;
        return (heap, rss);
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await File.AppendAllTextAsync(Path.Combine(directory!, "tools.log"), $"$ {tool} {string.Join(' ', arguments)}\n{await output}{await error}\n");
    }
}
