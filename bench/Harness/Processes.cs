using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Bench;

/// <summary>A process the bench started: its output goes to a log file; it is stopped by its pid (SIGTERM, then SIGKILL).</summary>
internal sealed partial class ManagedProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, ManagedProcess> Running = new();
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineAdded = new(0);
    private int _stopped;

    private ManagedProcess(string name, Process process, StreamWriter log, long startedTimestamp)
    {
        Name = name;
        _process = process;
        _log = log;
        StartedTimestamp = startedTimestamp;
    }

    public string Name { get; }

    public string LogPath { get; private init; } = "";

    public int Pid => _process.Id;

    public long StartedTimestamp { get; }

    public bool HasExited => _process.HasExited;

    public Process Process => _process;

    public static ManagedProcess Start(string name, string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment,
        string workingDirectory, string logDirectory, bool redirectInput = false, bool outputToFileOnly = false)
    {
        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, $"{name}-{DateTime.UtcNow:HHmmssfff}.log");
        // A chatty server (the gateway logs every upstream tool call) writes straight to its file:
        // reading its output here would cost the load generator's CPU. `exec` keeps the pid the server's.
        var info = new ProcessStartInfo(outputToFileOnly ? "/bin/sh" : file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = !outputToFileOnly,
            RedirectStandardError = !outputToFileOnly,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        if (outputToFileOnly)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec \"$0\" \"$@\" >\"$BENCH_LOG_FILE\" 2>&1");
            info.ArgumentList.Add(file);
            info.Environment["BENCH_LOG_FILE"] = logPath;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + file);
        var managed = new ManagedProcess(name, process, outputToFileOnly ? StreamWriter.Null : new StreamWriter(logPath) { AutoFlush = true }, started)
        {
            LogPath = logPath,
        };
        if (!outputToFileOnly)
        {
            process.OutputDataReceived += (_, e) => managed.Add(e.Data);
            process.ErrorDataReceived += (_, e) => managed.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        Running[process.Id] = managed;
        return managed;
    }

    public IReadOnlyCollection<string> Lines => _lines;

    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for an output line that matches; fails when the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var seen = 0;
        while (true)
        {
            var lines = _lines.ToArray();
            for (; seen < lines.Length; seen++)
            {
                if (match(lines[seen]))
                {
                    return lines[seen];
                }
            }

            if (_process.HasExited)
            {
                await Task.Delay(100);
                if (_lines.Count == seen)
                {
                    throw new InvalidOperationException($"{Name} (pid {Pid}) exited with code {_process.ExitCode}:\n{Tail()}");
                }

                continue;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{Name} (pid {Pid}) printed no expected line within {timeout.TotalSeconds:F0} s:\n{Tail()}");
            }

            await _lineAdded.WaitAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    public string Tail(int count = 30)
        => _lines.IsEmpty && File.Exists(LogPath)
            ? string.Join('\n', File.ReadLines(LogPath).TakeLast(count))
            : string.Join('\n', _lines.TakeLast(count));

    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        Running.TryRemove(Pid, out _);
        if (!_process.HasExited)
        {
            _ = Kill(Pid, 15);
            using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        lock (_log)
        {
            _log.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Stops every process still running (on failure or Ctrl-C), each by its own pid.</summary>
    public static async Task StopAllAsync()
    {
        foreach (var process in Running.Values.ToArray())
        {
            try
            {
                await process.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"stopping {process.Name} (pid {process.Pid}): {ex.Message}");
            }
        }
    }

    public static long ResidentKiB(int pid) => StatusField(pid, "VmRSS:");

    /// <summary>USER_HZ: the unit of /proc/&lt;pid&gt;/stat's times (100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>utime + stime of the process, in clock ticks.</summary>
    public static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: field 3 is the state, so utime (14) and stime (15) are at 11 and 12 here.
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static long HighWaterKiB(int pid) => StatusField(pid, "VmHWM:");

    public static int OpenFiles(int pid)
    {
        try
        {
            return Directory.GetFiles($"/proc/{pid}/fd").Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static long StatusField(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);

        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        _lineAdded.Release();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

internal static class Ports
{
    /// <summary>A free loopback port (bound to port 0, then released).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
