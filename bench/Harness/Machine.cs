using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bench;

/// <summary>What the figures were measured on, and how busy the machine was meanwhile.</summary>
internal sealed record Machine(string Cpu, int Cores, string Runtime, string Sdk, string Kernel, string Memory, string Commit, string LoadAtStart)
{
    public static async Task<Machine> DescribeAsync(string repo)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = File.ReadLines("/proc/meminfo").First(line => line.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var memoryGiB = long.Parse(memory.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        var commit = (await RunAsync("git", "-C", repo, "rev-parse", "--short", "HEAD")).Trim();
        var dirty = (await RunAsync("git", "-C", repo, "status", "--porcelain", "--", "src")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return new Machine(
            cpu,
            Environment.ProcessorCount,
            RuntimeInformation.FrameworkDescription,
            (await RunAsync("dotnet", "--version")).Trim(),
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            $"{memoryGiB:F0} GiB",
            dirty == 0 ? commit : $"{commit} + {dirty} uncommitted change(s) in src/",
            LoadAverage());
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output;
        }
        catch (Exception ex)
        {
            return "unknown (" + ex.Message + ")";
        }
    }
}
