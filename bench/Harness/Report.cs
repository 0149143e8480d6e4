using System.Globalization;
using System.Text;

namespace Bench;

/// <summary>The Markdown table: each figure next to its baseline, the ratio, and the target with pass/miss.</summary>
internal static class Report
{
    private const double ChatRatioTarget = 0.85;
    // Issue 12: CPU per chat request at most 1.3× bare YARP's.
    private const double ChatCpuTarget = 1.3;
    private const double ChatAddedP99TargetMs = 1.0;
    private const double BridgeRatioTarget = 0.8;
    private const double IdleKiBTarget = 64;
    private const double GatewayToolCallsPerCoreTarget = 20_000;

    /// <summary>The GC the measured gateway build runs with, as its runtimeconfig.json says (the project's own choice).</summary>
    private static string GatewayGc(BenchSettings settings)
    {
        var runtimeConfig = Path.ChangeExtension(new BenchPaths(settings.Repo, settings.Builds, settings.Logs).MeasuredGateway, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            return "GC settings unknown";
        }

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var server = json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties)
                     && properties.TryGetProperty("System.GC.Server", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.True;
        return server ? "Server GC (its runtimeconfig)" : "workstation GC (its runtimeconfig)";
    }

    public static string Render(Machine machine, BenchSettings settings, BenchResults results, string loadAtEnd)
    {
        var md = new StringBuilder();
        md.AppendLine("# McpGateway benchmarks");
        md.AppendLine();
        md.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/run.sh`, everything on 127.0.0.1 of one machine, all figures from the same run.");
        md.AppendLine();
        md.AppendLine("| machine | |");
        md.AppendLine("| --- | --- |");
        md.AppendLine($"| CPU | {machine.Cpu}, {machine.Cores} cores |");
        md.AppendLine($"| memory, kernel | {machine.Memory}, Linux {machine.Kernel} |");
        md.AppendLine($"| .NET | {machine.Runtime} (SDK {machine.Sdk}); gateway: Release build, `dotnet McpGateway.dll`, {GatewayGc(settings)} |");
        md.AppendLine($"| gateway source | {machine.Commit} |");
        md.AppendLine($"| load average (1/5/15 min) | {machine.LoadAtStart} at start, {loadAtEnd} at end |");
        md.AppendLine();
        md.AppendLine("The load generators, the upstreams and the gateway share the 2 cores, so absolute figures are low and");
        md.AppendLine("the ratios are what to read. The machine may be shared with other jobs (see the load average).");

        if (results.Chat.Count > 0)
        {
            RenderChat(md, settings, results);
        }

        if (results.StreamableHttp.Count > 0)
        {
            RenderStreamableHttp(md, settings, results);
        }

        if (results.Bridge.Count > 0)
        {
            RenderBridge(md, settings, results);
        }

        if (results.Idle.Count > 0)
        {
            RenderIdle(md, settings, results);
        }

        if (results.BuildComparison.Count > 0 || results.IdleComparison.Count > 0)
        {
            RenderBuildComparison(md, settings, results);
        }

        RenderStartAndRefresh(md, results);

        if (results.Experiments.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Experiments: the gateway with parts switched off by configuration");
            md.AppendLine();
            md.AppendLine($"Each a fresh gateway, {settings.ExperimentRounds} interleaved round(s); chat as in 1 after {settings.ChatPreWarm.TotalSeconds:F0} s of warm-up, the bridge with {settings.McpClients[^1]} clients as in 2. Profiled run: compare the rows with each other, not with the tables above.");
            md.AppendLine();
            md.AppendLine("| variant | chat requests/s (per round) | chat p99 | gateway CPU per chat request | allocated per chat request | bridge calls/s (per round) | bridge p99 | gateway CPU per call | allocated per call |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var group in results.Experiments.GroupBy(experiment => experiment.Variant))
            {
                var rounds = group.ToList();
                md.AppendLine($"| {group.Key} | {N0(rounds.Average(r => r.Chat.RequestsPerSecond))} ({string.Join(", ", rounds.Select(r => N0(r.Chat.RequestsPerSecond)))}) | " +
                              $"{Ms(rounds.Average(r => r.Chat.P99Ms))} | {Us(rounds.Average(r => r.Chat.CpuUsPerRequest))} ({string.Join(", ", rounds.Select(r => Us(r.Chat.CpuUsPerRequest)))}) | " +
                              $"{Bytes(rounds.Average(r => r.Chat.BytesPerRequest))} ({string.Join(", ", rounds.Select(r => Bytes(r.Chat.BytesPerRequest)))}) | " +
                              $"{Rate(rounds.Average(r => r.Bridge.RequestsPerSecond))} ({string.Join(", ", rounds.Select(r => Rate(r.Bridge.RequestsPerSecond)))}) | " +
                              $"{(double.IsNaN(rounds.Average(r => r.Bridge.P99Ms)) ? "—" : Ms(rounds.Average(r => r.Bridge.P99Ms)))} | {Us(rounds.Average(r => r.Bridge.CpuUsPerRequest))} ({string.Join(", ", rounds.Select(r => Us(r.Bridge.CpuUsPerRequest)))}) | " +
                              $"{Bytes(rounds.Average(r => r.Bridge.BytesPerRequest))} |");
            }
        }

        if (results.Notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Notes:");
            foreach (var note in results.Notes)
            {
                md.AppendLine("- " + note);
            }
        }

        return md.ToString();
    }

    private static void RenderChat(StringBuilder md, BenchSettings settings, BenchResults results)
    {
        md.AppendLine();
        md.AppendLine($"## 1. Proxied `POST /api/v2/chat`");
        md.AppendLine();
        md.AppendLine($"wrk -t{settings.WrkThreads} -c{settings.WrkConnections}, {settings.ChatDuration.TotalSeconds:F0} s measured after {settings.ChatWarmUp.TotalSeconds:F0} s of warm-up, " +
                      $"{settings.ChatRounds} round(s) in alternating order (figures: the best round of each column — a busy neighbour only makes figures worse), each proxy pre-warmed {settings.ChatPreWarm.TotalSeconds:F0} s first; the same request (JSON body, session cookie, `X-CSRF: 1`) " +
                      "to each. The upstream is a minimal Kestrel app answering a fixed JSON with usage. The gateway signs the request in (cookie → Redis session), " +
                      "checks CSRF, rate-limits, attaches the user's token, forwards with YARP and meters the usage; the bare YARP app forwards the same route with a fixed token.");
        md.AppendLine();
        md.AppendLine("| target | requests/s | p50 | p99 | errors | CPU per request (that process) | allocated per request (that process) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var name in new[] { BenchRun.Direct, BenchRun.Bare, BenchRun.Gateway })
        {
            if (results.Chat.TryGetValue(name, out var rounds))
            {
                var mean = Mean(rounds);
                md.AppendLine($"| {name} | {N0(mean.RequestsPerSecond)} | {Ms(mean.P50Ms)} | {Ms(mean.P99Ms)} | {rounds.Sum(round => round.Errors)} | {Us(mean.CpuUsPerRequest)} | {Bytes(mean.BytesPerRequest)} |");
            }
        }

        if (results.Chat.TryGetValue(BenchRun.Gateway, out var gatewayRounds) && results.Chat.TryGetValue(BenchRun.Bare, out var bareRounds))
        {
            var gateway = Mean(gatewayRounds);
            var bare = Mean(bareRounds);
            var ratio = gateway.RequestsPerSecond / bare.RequestsPerSecond;
            var addedP99 = gateway.P99Ms - bare.P99Ms;
            md.AppendLine();
            md.AppendLine("| comparison | measured | target | |");
            md.AppendLine("| --- | ---: | ---: | --- |");
            md.AppendLine($"| gateway ÷ bare YARP, requests/s | {ratio:F2}× | ≥ {ChatRatioTarget:F2}× | {PassMiss(ratio >= ChatRatioTarget)} |");
            md.AppendLine($"| gateway − bare YARP, p99 | {Signed(addedP99)} ms | ≤ +{ChatAddedP99TargetMs:F0} ms | {PassMiss(addedP99 <= ChatAddedP99TargetMs)} |");
            md.AppendLine($"| gateway − bare YARP, p50 | {Signed(gateway.P50Ms - bare.P50Ms)} ms | | |");
            md.AppendLine($"| gateway ÷ bare YARP, CPU per request (steadier than requests/s on a shared machine) | {gateway.CpuUsPerRequest / bare.CpuUsPerRequest:F2}× | ≤ {ChatCpuTarget:F1}× | {PassMiss(gateway.CpuUsPerRequest / bare.CpuUsPerRequest <= ChatCpuTarget)} |");
            md.AppendLine($"| gateway − bare YARP, allocated per request | {SignedBytes(gateway.BytesPerRequest - bare.BytesPerRequest)} ({gateway.BytesPerRequest / bare.BytesPerRequest:F2}×) | | |");
            if (results.Chat.TryGetValue(BenchRun.Direct, out var directRounds))
            {
                var direct = Mean(directRounds);
                md.AppendLine($"| bare YARP ÷ upstream directly, requests/s | {bare.RequestsPerSecond / direct.RequestsPerSecond:F2}× | | |");
                md.AppendLine($"| gateway ÷ upstream directly, requests/s | {gateway.RequestsPerSecond / direct.RequestsPerSecond:F2}× | | |");
            }

            md.AppendLine();
            md.AppendLine("Per round (requests/s / p99 / CPU per request / allocated per request): " + string.Join("; ", results.Chat.Select(pair =>
                $"{pair.Key}: " + string.Join(", ", pair.Value.Select(round => $"{N0(round.RequestsPerSecond)} / {Ms(round.P99Ms)} / {Us(round.CpuUsPerRequest)} / {Bytes(round.BytesPerRequest)}")))));
            md.AppendLine();
            md.AppendLine("Allocated per request: the process's `GC.GetTotalAllocatedBytes()` before and after the measured window ÷ its requests (the gateway's from " +
                          "`dotnet_gc_heap_total_allocated_bytes_total` on `/metrics`, the bench apps' from their `/_alloc`); what timers and background work allocate meanwhile is included.");
        }
    }

    private static void RenderStreamableHttp(StringBuilder md, BenchSettings settings, BenchResults results)
    {
        md.AppendLine();
        md.AppendLine("## 2b. Streamable HTTP `/mcp`: the same client directly and through the gateway");
        md.AppendLine();
        md.AppendLine($"The SDK's McpClient with its HttpClientTransport calling `echo` in a closed loop, {settings.McpDuration.TotalSeconds:F0} s measured after " +
                      $"{settings.McpWarmUp.TotalSeconds:F0} s of warm-up: straight to the MCP server, and to the gateway's `/mcp` with only the session cookie.");
        md.AppendLine();
        md.AppendLine("| concurrent clients | direct calls/s | through /mcp calls/s | ratio | direct p99 | through p99 | errors (direct / through) | gateway CPU per call | allocated per call: MCP server (direct) / gateway |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (clients, direct, gateway) in results.StreamableHttp)
        {
            md.AppendLine($"| {clients} | {N0(direct.RequestsPerSecond)} | {N0(gateway.RequestsPerSecond)} | {gateway.RequestsPerSecond / direct.RequestsPerSecond:F2}× | " +
                          $"{Ms(direct.P99Ms)} | {Ms(gateway.P99Ms)} | {direct.Errors} / {gateway.Errors} | {Us(gateway.CpuUsPerRequest)} | {Bytes(direct.BytesPerRequest)} / {Bytes(gateway.BytesPerRequest)} |");
        }
    }

    private static void RenderBridge(StringBuilder md, BenchSettings settings, BenchResults results)
    {
        md.AppendLine();
        md.AppendLine("## 2. The WebSocket bridge: MCP `tools/call` round trips");
        md.AppendLine();
        md.AppendLine($"The SDK's McpClient (protocol 2025-11-25) in a closed loop calling `echo` on an MCP server built with the SDK (Streamable HTTP, stateful), " +
                      $"{settings.McpDuration.TotalSeconds:F0} s measured after {settings.McpWarmUp.TotalSeconds:F0} s of warm-up. Directly: the SDK's HttpClientTransport " +
                      "to the server. Through the gateway: the same client over the gateway's `/mcp` WebSocket, signed in; each socket has its own upstream session.");
        md.AppendLine();
        md.AppendLine("| concurrent clients | direct calls/s | gateway calls/s | ratio | target | | direct p50 / p99 | gateway p50 / p99 | errors (direct / gateway) | CPU per call: MCP server (direct) / gateway | allocated per call: MCP server (direct) / gateway (per relayed frame) |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (clients, direct, gateway) in results.Bridge)
        {
            var ratio = gateway.RequestsPerSecond / direct.RequestsPerSecond;
            md.AppendLine($"| {clients} | {N0(direct.RequestsPerSecond)} | {N0(gateway.RequestsPerSecond)} | {ratio:F2}× | ≥ {BridgeRatioTarget:F1}× | {PassMiss(ratio >= BridgeRatioTarget)} | " +
                          $"{Ms(direct.P50Ms)} / {Ms(direct.P99Ms)} | {Ms(gateway.P50Ms)} / {Ms(gateway.P99Ms)} | {direct.Errors} / {gateway.Errors} | {Us(direct.CpuUsPerRequest)} / {Us(gateway.CpuUsPerRequest)} | " +
                          $"{Bytes(direct.BytesPerRequest)} / {Bytes(gateway.BytesPerRequest)} ({Bytes(gateway.BytesPerRequest / 2)}) |");
        }

        md.AppendLine();
        md.AppendLine("A call through the gateway is two relayed frames (the request to the upstream, its answer to the browser); the frame figure is the call's allocation halved, everything the gateway does for the call included.");

        if (results.GatewayTools.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("The gateway's own tool, `calculator` (`2 * (3 + 4)^2 / sqrt(16)`), called the same way over the same WebSocket: no upstream, the gateway's whole cost per call " +
                          "(frame decoding, rate limit, the tool with its argument validation and audit line, metrics, the answer). Calls per core-second = 1 s ÷ the gateway's CPU per call.");
            md.AppendLine();
            md.AppendLine("| concurrent clients | calls/s | p50 / p99 | errors | gateway CPU per call | calls per core-second | target | | allocated per call |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
            foreach (var (clients, tools) in results.GatewayTools)
            {
                var perCore = 1_000_000 / tools.CpuUsPerRequest;
                md.AppendLine($"| {clients} | {N0(tools.RequestsPerSecond)} | {Ms(tools.P50Ms)} / {Ms(tools.P99Ms)} | {tools.Errors} | {Us(tools.CpuUsPerRequest)} | {N0(perCore)} | ≥ {N0(GatewayToolCallsPerCoreTarget)} | " +
                              $"{PassMiss(perCore >= GatewayToolCallsPerCoreTarget)} | {Bytes(tools.BytesPerRequest)} |");
            }
        }

        foreach (var note in results.Bridge.SelectMany(row => new[] { row.Direct.Note, row.Gateway.Note }).Where(note => note.Length > 0).Distinct())
        {
            md.AppendLine();
            md.AppendLine("First error: " + note);
        }
    }

    private static void RenderIdle(StringBuilder md, BenchSettings settings, BenchResults results)
    {
        md.AppendLine();
        md.AppendLine("## 3. Memory per idle bridged socket");
        md.AppendLine();
        md.AppendLine($"A fresh gateway per line; its resident set (VmRSS) after a warm-up of 32 sockets, then sockets opened by worker processes ({IdleSockets.SocketsPerWorker} each), " +
                      $"left idle {settings.IdleSettle.TotalSeconds:F0} s, VmRSS again: (after − before) ÷ sockets held. \"initialized\" = `initialize` answered and " +
                      "`notifications/initialized` sent (the gateway opened the socket's upstream session); \"open\" = upgraded, no message yet. " +
                      "The file-descriptor limit is " + FdLimit() + " per process (the workers are told to stop opening " +
                      "when the gateway is 2,500 short of it: opening overshoots by up to ~2,000 descriptors); the gateway needs one per browser socket, and one more per initialized socket for the " +
                      "upstream session's standalone GET stream.");
        md.AppendLine();
        md.AppendLine("| sockets | state | held | RSS before | RSS after | per socket | target | | gateway fds | failures (first) |");
        md.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |");
        foreach (var idle in results.Idle)
        {
            md.AppendLine($"| {N0(idle.Target)} | {(idle.Initialized ? "initialized" : "open")} | {N0(idle.Held)} | {MiB(idle.RssBeforeKiB)} | {MiB(idle.RssAfterKiB)} | " +
                          $"{idle.KiBPerSocket:F1} KiB | ≤ {IdleKiBTarget:F0} KiB | {PassMiss(idle.KiBPerSocket <= IdleKiBTarget)} | {N0(idle.GatewayFds)} | " +
                          $"{idle.Failed}{(idle.FirstError.Length > 0 ? " (" + Escape(idle.FirstError[..Math.Min(160, idle.FirstError.Length)]) + ")" : "")}{(idle.EmfileLines > 0 ? $"; {idle.EmfileLines} 'Too many open files' lines in the gateway's log" : "")} |");
        }
    }

    private static void RenderBuildComparison(StringBuilder md, BenchSettings settings, BenchResults results)
    {
        md.AppendLine();
        md.AppendLine("## 5. This build against another build, in the same run (section `bridge-alt`)");
        md.AppendLine();
        md.AppendLine($"Another build of the gateway (`BENCH_ALT_GATEWAY_DLL`) measured like 2 and 3: {settings.ExperimentRounds} round(s) in alternating order, a fresh gateway per build " +
                      "and round, the direct client in each round; figures are the mean of the rounds (per round in brackets). The ratio is against the direct client of the same round.");
        md.AppendLine();
        md.AppendLine("| build | load | clients | calls/s (per round) | ratio to direct | p99 | CPU per call (per round) | allocated per call | per relayed frame |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in results.BuildComparison.GroupBy(row => (row.Variant, row.Load, row.Clients)))
        {
            var rows = group.ToList();
            var ratios = rows.Select(row => results.BuildComparison.FirstOrDefault(direct => direct.Variant == BenchRun.Direct && direct.Round == row.Round && direct.Clients == row.Clients && direct.Load == "echo")
                    is { } direct && row.Variant != BenchRun.Direct && row.Load == "echo"
                ? row.Figures.RequestsPerSecond / direct.Figures.RequestsPerSecond
                : double.NaN).ToList();
            var ratio = ratios.All(double.IsNaN) ? "" : $"{ratios.Where(value => !double.IsNaN(value)).Average():F2}× ({string.Join(", ", ratios.Select(value => value.ToString("F2", CultureInfo.InvariantCulture)))})";
            var bytes = rows.Average(row => row.Figures.BytesPerRequest);
            md.AppendLine($"| {group.Key.Variant} | {group.Key.Load} | {group.Key.Clients} | {N0(rows.Average(row => row.Figures.RequestsPerSecond))} ({string.Join(", ", rows.Select(row => N0(row.Figures.RequestsPerSecond)))}) | " +
                          $"{ratio} | {Ms(rows.Average(row => row.Figures.P99Ms))} | {Us(rows.Average(row => row.Figures.CpuUsPerRequest))} ({string.Join(", ", rows.Select(row => Us(row.Figures.CpuUsPerRequest)))}) | " +
                          $"{Bytes(bytes)} | {(group.Key.Load == "echo" && group.Key.Variant != BenchRun.Direct ? Bytes(bytes / 2) : "")} |");
        }

        if (results.IdleComparison.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| build | idle sockets, opened and initialized | held | per socket | target | | gateway fds |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | ---: |");
            foreach (var (variant, idle) in results.IdleComparison)
            {
                md.AppendLine($"| {variant} | {N0(idle.Target)} | {N0(idle.Held)} | {idle.KiBPerSocket:F1} KiB | ≤ {IdleKiBTarget:F0} KiB | {PassMiss(idle.KiBPerSocket <= IdleKiBTarget)} | {N0(idle.GatewayFds)} |");
            }
        }
    }

    private static void RenderStartAndRefresh(StringBuilder md, BenchResults results)
    {
        md.AppendLine();
        md.AppendLine("## 4. Start-up and token refresh");
        md.AppendLine();
        md.AppendLine("| measurement | gateway | baseline | |");
        md.AppendLine("| --- | ---: | ---: | --- |");
        md.AppendLine($"| process start → `/readyz` 200, cold (registers its client by DCR) | {Ms0(results.GatewayColdStart)} | bare YARP start → first 200: {Ms0(results.BareProxyStart)} | " +
                      $"{results.GatewayColdStart / results.BareProxyStart:F1}× |");
        if (results.RefreshGatewayColdStart is { } second)
        {
            md.AppendLine($"| same, second cold start (another provider) | {Ms0(second)} | | |");
        }

        if (results.GatewayWarmStarts.Count > 0)
        {
            var median = TimeSpan.FromMilliseconds(Stats.Median(results.GatewayWarmStarts.Select(start => start.TotalMilliseconds)));
            md.AppendLine($"| process start → `/readyz` 200, warm (stored registration; median of {results.GatewayWarmStarts.Count}) | {Ms0(median)} | bare YARP: {Ms0(results.BareProxyStart)} | " +
                          $"{median / results.BareProxyStart:F1}× |");
        }

        if (results.Bursts.Count == 0)
        {
            return;
        }

        var refreshes = results.Bursts.Where(burst => burst.Kind == "refresh due").ToList();
        var fresh = results.Bursts.Where(burst => burst.Kind == "fresh token").ToList();
        var maxCalls = refreshes.Max(burst => burst.TokenCalls);
        md.AppendLine($"| token-endpoint calls for {RefreshBurst.Callers} concurrent requests needing a refresh (max over {refreshes.Count} bursts) | {maxCalls} | target 1 | {PassMiss(maxCalls == 1)} |");
        md.AppendLine($"| that burst: wall time, median of the bursts (p50 / max request) | {Stats.Median(refreshes.Select(burst => burst.WallMs)):F1} ms " +
                      $"({Stats.Median(refreshes.Select(burst => burst.P50Ms)):F1} / {Stats.Median(refreshes.Select(burst => burst.MaxMs)):F1} ms) | " +
                      $"same burst, fresh token: {Stats.Median(fresh.Select(burst => burst.WallMs)):F1} ms ({Stats.Median(fresh.Select(burst => burst.P50Ms)):F1} / {Stats.Median(fresh.Select(burst => burst.MaxMs)):F1} ms) | " +
                      $"{Signed(Stats.Median(refreshes.Select(burst => burst.WallMs)) - Stats.Median(fresh.Select(burst => burst.WallMs)))} ms |");
        md.AppendLine($"| requests answered 200 in the refresh bursts | {refreshes.Sum(burst => burst.Ok)}/{refreshes.Sum(burst => burst.Requests)} | | |");
        md.AppendLine();
        md.AppendLine($"Refresh set-up: the provider issues {results.RefreshTokenTtl} s access tokens with refresh-token rotation (a second concurrent refresh with the same token would revoke the grant); " +
                      $"the gateway refreshes {results.RefreshMargin.TotalSeconds:F0} s before expiry; each burst is {RefreshBurst.Callers} `POST /api/v2/chat` on one session released together " +
                      "over pre-opened connections; calls counted at the provider's `/_stats` (refresh_token grants, successful and failed).");
    }

    /// <summary>
    /// Best of the rounds: on a shared machine a neighbour only ever lowers throughput and raises latency,
    /// so the best round is the closest to what the software itself does. Every round is listed below the table.
    /// </summary>
    private static LoadFigures Mean(List<LoadFigures> rounds)
        => new(rounds.Max(round => round.RequestsPerSecond), rounds.Min(round => round.P50Ms), rounds.Min(round => round.P99Ms),
            rounds.Sum(round => round.Requests), rounds.Sum(round => round.Errors))
        {
            CpuUsPerRequest = rounds.Min(round => round.CpuUsPerRequest),
            BytesPerRequest = rounds.Min(round => round.BytesPerRequest),
        };

    private static string Us(double value) => double.IsNaN(value) ? "—" : value.ToString("F0", CultureInfo.InvariantCulture) + " µs";

    /// <summary>A rate, or a dash for a part that was not measured (the bridge in a chat-only experiment).</summary>
    private static string Rate(double value) => double.IsNaN(value) ? "—" : N0(value);

    private static string Bytes(double value) => double.IsNaN(value) ? "n/a" : value >= 10_000 ? (value / 1024).ToString("F1", CultureInfo.InvariantCulture) + " KiB" : value.ToString("N0", CultureInfo.InvariantCulture) + " B";

    private static string SignedBytes(double value) => double.IsNaN(value) ? "n/a" : (value >= 0 ? "+" : "−") + Bytes(Math.Abs(value));

    private static string FdLimit()
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(text => text.StartsWith("Max open files", StringComparison.Ordinal));
        return line is null ? "unknown" : N0(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture));
    }

    private static string PassMiss(bool pass) => pass ? "**pass**" : "**miss**";

    private static string N0(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + " ms";

    private static string Ms0(TimeSpan value) => value.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    private static string MiB(long kib) => (kib / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    private static string Signed(double value) => (value >= 0 ? "+" : "") + value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
