using System.Diagnostics;
using System.Reflection;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// Kills a test server with SIGKILL, the way a crash or an OOM kill ends it: no clean shutdown, no
/// flush, open connections reset by the kernel. The shared fixtures only offer a clean stop (SIGTERM),
/// so the running process is taken from their private field; <c>StartAgainAsync</c> then starts a new
/// process on the same port and data.
/// </summary>
internal static class ProcessKiller
{
    /// <returns>When the process was seen gone.</returns>
    public static Task<DateTime> KillAsync(RedisServer redis) => KillFieldAsync(redis);

    public static Task<DateTime> KillAsync(NodeServer server) => KillFieldAsync(server);

    public static Task<DateTime> KillAsync(ProxiedProvider provider) => provider.KillAsync();

    /// <summary>SIGKILL by pid (Process.Kill sends SIGKILL on Unix), then waits until the process is gone.</summary>
    public static async Task<DateTime> KillAsync(ExternalProcess process)
    {
        try
        {
            using var os = Process.GetProcessById(process.Pid);
            os.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await os.WaitForExitAsync(timeout.Token);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        var gone = DateTime.UtcNow;
        await process.DisposeAsync();
        return gone;
    }

    /// <summary>
    /// SIGSTOP: the process keeps its connections open but answers nothing (a stall, a long fork, a
    /// partition without resets) until the returned handle sends SIGCONT.
    /// </summary>
    public static async Task<IAsyncDisposable> PauseAsync(RedisServer redis)
    {
        var pid = ProcessOf(redis).Pid;
        await SignalAsync("STOP", pid);
        return new Paused(pid);
    }

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private static ExternalProcess ProcessOf(object owner)
        => Field(owner).GetValue(owner) as ExternalProcess
           ?? throw new InvalidOperationException($"{owner.GetType().Name} is not running as a local process (e.g. a Testcontainers Redis): it cannot be signalled here.");

    private static FieldInfo Field(object owner)
        => owner.GetType().GetField("_process", BindingFlags.NonPublic | BindingFlags.Instance)
           ?? throw new InvalidOperationException($"{owner.GetType().Name} has no _process field any more: update ProcessKiller.");

    private static async Task<DateTime> KillFieldAsync(object owner)
    {
        var process = ProcessOf(owner);
        Field(owner).SetValue(owner, null);
        return await KillAsync(process);
    }

    private sealed class Paused(int pid) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await SignalAsync("CONT", pid);
    }
}
