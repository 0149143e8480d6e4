using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Bench;

/// <summary>What one idle-socket configuration measured at the gateway.</summary>
internal sealed record IdleFigures(int Target, bool Initialized, int Opened, int InitializedCount, int Failed, long RssBeforeKiB, long RssAfterKiB,
    int GatewayFds, int EmfileLines, string FirstError)
{
    public int Held => Initialized ? InitializedCount : Opened;

    public double KiBPerSocket => Held == 0 ? double.NaN : (RssAfterKiB - RssBeforeKiB) / (double)Held;
}

/// <summary>
/// Memory per idle bridged socket: a fresh gateway, its resident set before, then thousands of sockets
/// opened (and initialized, or not) by worker processes — each worker is this program in
/// <c>idle-worker</c> mode — left idle a few seconds, and the resident set again.
/// </summary>
internal static class IdleSockets
{
    public const int SocketsPerWorker = 2500;

    /// <summary>Descriptors left to the gateway when the workers are told to stop opening (its own files, Redis, pools).</summary>
    private const int FdHeadroom = 2500;


    private const string InitializeFrame =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench-idle","version":"1"}}}""";
    private const string InitializedFrame = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    public static async Task<IdleFigures> MeasureAsync(GatewayInstance gateway, string cookieHeader, int count, bool initialize, BenchPaths paths, TimeSpan settle, Func<Task>? whileHeld = null, Func<Task>? beforeOpening = null)
    {
        // Warm the paths once (JIT, pools, the first upstream connections), so the figure is per socket.
        await WarmUpAsync(gateway.BaseAddress, cookieHeader, initialize);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = ManagedProcess.ResidentKiB(gateway.Process.Pid);
        if (beforeOpening is not null)
        {
            await beforeOpening();
        }

        var fdLimit = ReadFdLimit(gateway.Process.Pid);

        var workers = new List<ManagedProcess>();
        var remaining = count;
        for (var index = 0; remaining > 0; index++)
        {
            var share = Math.Min(SocketsPerWorker, remaining);
            remaining -= share;
            workers.Add(ManagedProcess.Start($"idle-worker-{index}", "dotnet",
                [typeof(IdleSockets).Assembly.Location, "idle-worker", gateway.BaseAddress.AbsoluteUri, share.ToString(CultureInfo.InvariantCulture), initialize ? "init" : "open"],
                new Dictionary<string, string> { ["BENCH_COOKIE"] = cookieHeader }, AppContext.BaseDirectory, paths.Logs, redirectInput: true));
        }

        try
        {
            var finished = Task.WhenAll(workers.Select(worker => worker.WaitForLineAsync(line => line.StartsWith("DONE ", StringComparison.Ordinal), TimeSpan.FromMinutes(4))));
            var stoppedAtFds = 0;
            while (!finished.IsCompleted)
            {
                // Past its descriptor limit the gateway cannot accept or connect any more (and in our runs it
                // then grew until it died): stop opening sockets just before, and report how far it got.
                var open = ManagedProcess.OpenFiles(gateway.Process.Pid);
                if (stoppedAtFds == 0 && open >= fdLimit - FdHeadroom)
                {
                    stoppedAtFds = open;
                    foreach (var worker in workers)
                    {
                        worker.WriteLine("stop");
                    }
                }

                await Task.WhenAny(finished, Task.Delay(50));
            }

            var done = await finished;
            var opened = done.Sum(line => Field(line, "opened"));
            var initialized = done.Sum(line => Field(line, "initialized"));
            var failed = done.Sum(line => Field(line, "failed"));
            var firstError = done.Select(line => line.Contains("error=", StringComparison.Ordinal) ? line[(line.IndexOf("error=", StringComparison.Ordinal) + 6)..] : "")
                .FirstOrDefault(error => error.Length > 0) ?? "";

            // Idle: nothing moves but keep-alives; let the connection phase's garbage and timers settle.
            await Task.Delay(settle);
            if (gateway.Process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited while holding the sockets:\n{gateway.Process.Tail(3)}");
            }

            var after = ManagedProcess.ResidentKiB(gateway.Process.Pid);
            var fds = ManagedProcess.OpenFiles(gateway.Process.Pid);
            var emfile = File.Exists(gateway.Process.LogPath)
                ? File.ReadLines(gateway.Process.LogPath).Count(line => line.Contains("Too many open files", StringComparison.Ordinal))
                : 0;
            if (whileHeld is not null)
            {
                await whileHeld();
            }

            if (stoppedAtFds > 0)
            {
                firstError = $"stopped opening at {stoppedAtFds:N0} gateway fds (limit {fdLimit:N0})" + (firstError.Length > 0 ? "; " + firstError : "");
            }

            return new IdleFigures(count, initialize, opened, initialized, failed, before, after, fds, emfile, firstError);
        }
        finally
        {
            foreach (var worker in workers)
            {
                try
                {
                    worker.WriteLine("close");
                }
                catch (IOException)
                {
                }
            }

            await Task.WhenAll(workers.Select(async worker =>
            {
                try
                {
                    await worker.WaitForLineAsync(line => line == "CLOSED", TimeSpan.FromSeconds(30));
                }
                catch (Exception)
                {
                }

                await worker.StopAsync(TimeSpan.FromSeconds(5));
            }));
        }
    }

    private static async Task WarmUpAsync(Uri gateway, string cookieHeader, bool initialize)
    {
        var sockets = await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            var socket = await WebSocketClientTransport.OpenAsync(gateway, cookieHeader, CancellationToken.None);
            if (initialize)
            {
                await InitializeAsync(socket, CancellationToken.None);
            }

            return socket;
        }));
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    public static int ReadFdLimit(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/limits").FirstOrDefault(text => text.StartsWith("Max open files", StringComparison.Ordinal));
        return line is null ? 1 << 20 : int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture);
    }

    private static int Field(string line, string name)
    {
        var start = line.IndexOf(name + "=", StringComparison.Ordinal) + name.Length + 1;
        var end = line.IndexOf(' ', start);
        return int.Parse(end < 0 ? line[start..] : line[start..end], CultureInfo.InvariantCulture);
    }

    /// <summary>Sends initialize, waits for its answer, sends notifications/initialized.</summary>
    private static async Task InitializeAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(InitializeFrame), WebSocketMessageType.Text, true, cancellationToken);
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed during initialize: {socket.CloseStatus} {socket.CloseStatusDescription}");
            }

            length += received.Count;
            if (received.EndOfMessage)
            {
                break;
            }
        }

        var answer = Encoding.UTF8.GetString(buffer, 0, length);
        if (!answer.Contains("\"result\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("initialize failed: " + answer[..Math.Min(200, answer.Length)]);
        }

        await socket.SendAsync(Encoding.UTF8.GetBytes(InitializedFrame), WebSocketMessageType.Text, true, cancellationToken);
    }

    /// <summary>
    /// <c>idle-worker GATEWAY COUNT open|init</c>: opens COUNT sockets (32 at a time), prints
    /// <c>DONE opened=… initialized=… failed=… error=…</c>, holds them until a line <c>close</c> arrives.
    /// </summary>
    public static async Task<int> WorkerAsync(string[] args)
    {
        var gateway = new Uri(args[1]);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var initialize = args[3] == "init";
        var cookie = Environment.GetEnvironmentVariable("BENCH_COOKIE") ?? "";
        var sockets = new System.Collections.Concurrent.ConcurrentBag<ClientWebSocket>();
        int opened = 0, initialized = 0, failed = 0;
        string? firstError = null;
        using var gate = new SemaphoreSlim(16);
        var started = Stopwatch.GetTimestamp();
        var stop = 0;
        var close = new TaskCompletionSource();
        // The coordinator says "stop" (open no more: the gateway is near its file-descriptor limit), then "close".
        _ = Task.Run(() =>
        {
            while (Console.ReadLine() is { } line)
            {
                if (line == "stop")
                {
                    Volatile.Write(ref stop, 1);
                }
                else if (line == "close")
                {
                    break;
                }
            }

            Volatile.Write(ref stop, 1);
            close.TrySetResult();
        });
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            if (Volatile.Read(ref stop) != 0)
            {
                gate.Release();
                return;
            }

            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var socket = await WebSocketClientTransport.OpenAsync(gateway, cookie, timeout.Token);
                sockets.Add(socket);
                Interlocked.Increment(ref opened);
                if (initialize)
                {
                    await InitializeAsync(socket, timeout.Token);
                    Interlocked.Increment(ref initialized);
                }
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "), null);
            }
            finally
            {
                gate.Release();
            }
        }));

        Console.WriteLine($"DONE opened={opened} initialized={initialized} failed={failed} seconds={Stopwatch.GetElapsedTime(started).TotalSeconds:F1} error={firstError}");
        await close.Task;

        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        Console.WriteLine("CLOSED");
        return 0;
    }
}
