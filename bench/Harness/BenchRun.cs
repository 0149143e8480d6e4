using System.Net;

namespace Bench;

/// <summary>Everything one run measured.</summary>
internal sealed class BenchResults
{
    public Dictionary<string, List<LoadFigures>> Chat { get; } = new();

    public List<(int Clients, LoadFigures Direct, LoadFigures Gateway)> Bridge { get; } = [];

    /// <summary>The same direct client against the gateway's Streamable HTTP <c>/mcp</c> (issue 11's line).</summary>
    public List<(int Clients, LoadFigures Direct, LoadFigures Gateway)> StreamableHttp { get; } = [];

    public List<IdleFigures> Idle { get; } = [];

    public TimeSpan GatewayColdStart { get; set; }

    public List<TimeSpan> GatewayWarmStarts { get; } = [];

    public TimeSpan BareProxyStart { get; set; }

    public TimeSpan? RefreshGatewayColdStart { get; set; }

    public List<BurstFigures> Bursts { get; } = [];

    public int RefreshTokenTtl { get; set; }

    public TimeSpan RefreshMargin { get; set; }

    public List<string> Notes { get; } = [];

    public List<(string Variant, LoadFigures Chat, LoadFigures Bridge)> Experiments { get; } = [];

    /// <summary>The gateway's own tool (calculator) over the same WebSocket: no upstream, the gateway's cost alone.</summary>
    public List<(int Clients, LoadFigures Gateway)> GatewayTools { get; } = [];

    /// <summary>Section <c>bridge-alt</c>: this build and another one (<c>BENCH_ALT_GATEWAY_DLL</c>), interleaved in one run.</summary>
    public List<BuildComparisonRow> BuildComparison { get; } = [];

    /// <summary>Section <c>bridge-alt</c>: idle sockets of each build.</summary>
    public List<(string Variant, IdleFigures Figures)> IdleComparison { get; } = [];
}

/// <summary>One measured load of one build in the <c>bridge-alt</c> comparison.</summary>
internal sealed record BuildComparisonRow(string Variant, int Round, string Load, int Clients, LoadFigures Figures);

/// <summary>The order of a run: the stack, the chat proxy, the bridge, idle sockets, start-up and refresh.</summary>
internal sealed class BenchRun(BenchSettings settings, Profiler profiler)
{
    public const string Direct = "upstream directly";
    public const string Bare = "bare YARP";
    public const string Gateway = "gateway";

    private readonly BenchPaths _paths = new(settings.Repo, settings.Builds, settings.Logs);
    private readonly BenchResults _results = new();
    private int _mcpPid;

    public async Task<BenchResults> RunAsync()
    {
        var stack = new Stack(_paths);
        Step("starting Redis, the OpenID provider, the chat upstream, the MCP echo server and the bare YARP proxy");
        var redisTask = stack.StartRedisAsync();
        var idpTask = stack.StartIdpAsync(3600);
        var (_, redis) = await redisTask;
        var (_, issuer) = await idpTask;
        var (chatProcess, chat) = await stack.StartChatUpstreamAsync();
        var (mcpProcess, mcp) = await stack.StartMcpEchoAsync();
        _mcpPid = mcpProcess.Pid;
        var (bare, bareAddress) = await stack.StartBareProxyAsync(chat);
        _results.BareProxyStart = await Stack.WaitForOkAsync(bare, new Uri(bareAddress, "/_health"));

        var prefix = $"bench-{Guid.NewGuid():N}"[..14] + ":";
        var gatewaySettings = GatewaySettings(issuer, redis, prefix, chat, new Uri(mcp, "/mcp"));
        Step("starting the gateway (Release, dotnet McpGateway.dll): cold start, registers its client");
        var gateway = await stack.StartGatewayAsync("gateway", gatewaySettings);
        _results.GatewayColdStart = gateway.StartToReady;
        var port = gateway.BaseAddress.Port;
        Step($"ready after {gateway.StartToReady.TotalMilliseconds:F0} ms; signing in through the provider's forms");
        var cookies = await BrowserLogin.SignInAsync(gateway.BaseAddress, "bench-user");
        var cookie = BrowserLogin.CookieHeader(cookies, gateway.BaseAddress);

        if (settings.Sections.Contains("chat"))
        {
            await ChatAsync(new Dictionary<string, Uri> { [Direct] = chat, [Bare] = bareAddress, [Gateway] = gateway.BaseAddress }, cookie,
                new Dictionary<string, int> { [Direct] = chatProcess.Pid, [Bare] = bare.Pid, [Gateway] = gateway.Process.Pid },
                new Dictionary<string, AllocationProbe>
                {
                    [Direct] = AllocationProbe.BenchApp(chat), [Bare] = AllocationProbe.BenchApp(bareAddress), [Gateway] = AllocationProbe.Gateway(gateway.BaseAddress),
                });
        }

        if (settings.Sections.Contains("bridge"))
        {
            await BridgeAsync(gateway, cookie, new Uri(mcp, "/mcp"), AllocationProbe.BenchApp(mcp));
        }

        if (settings.Sections.Contains("mcp-http"))
        {
            await StreamableHttpAsync(gateway, cookie, new Uri(mcp, "/mcp"), AllocationProbe.BenchApp(mcp));
        }

        await gateway.Process.StopAsync();

        if (settings.Sections.Contains("bridge-alt"))
        {
            await new BuildComparison(settings, _paths, _results).RunAsync(stack, gatewaySettings, port, cookie, new Uri(mcp, "/mcp"), _mcpPid, AllocationProbe.BenchApp(mcp));
        }

        if (settings.Sections.Contains("experiments"))
        {
            await ExperimentsAsync(stack, gatewaySettings, port, cookie, chat, new Uri(mcp, "/mcp"));
        }

        if (settings.Sections.Contains("idle"))
        {
            foreach (var count in settings.IdleCounts)
            {
                foreach (var initialize in new[] { false, true })
                {
                    // A fresh gateway each time (same port and key prefix: a warm start that reuses the stored registration).
                    var instance = await stack.StartGatewayAsync($"gateway-idle-{count}-{(initialize ? "init" : "open")}", gatewaySettings, port);
                    _results.GatewayWarmStarts.Add(instance.StartToReady);
                    Step($"idle sockets: {count} {(initialize ? "opened and initialized" : "opened, not initialized")} (gateway warm start {instance.StartToReady.TotalMilliseconds:F0} ms)");
                    try
                    {
                        // With profiling on, the heap of the gateway is dumped (each dump forces a full GC) before the
                        // sockets open and while they are held: the managed bytes per socket, without GC-timing noise.
                        var label = $"idle-{count}-{(initialize ? "init" : "open")}";
                        (long HeapBytes, long RssKiB) heapBefore = default;
                        var dump = profiler.Enabled && count == settings.IdleCounts[0];
                        Func<Task>? beforeOpening = dump ? async () => heapBefore = await profiler.HeapDumpAsync(instance.Process.Pid, label + "-before") : null;
                        Func<Task>? whileHeld = dump
                            ? async () =>
                            {
                                var held = await profiler.HeapDumpAsync(instance.Process.Pid, label);
                                _results.Notes.Add($"profile, {count} {(initialize ? "initialized" : "open")} sockets, after forced full GCs: GC heap {heapBefore.HeapBytes / 1048576.0:F1} → {held.HeapBytes / 1048576.0:F1} MiB " +
                                    $"({(held.HeapBytes - heapBefore.HeapBytes) / 1024.0 / count:F1} KiB per socket), RSS {heapBefore.RssKiB / 1024.0:F1} → {held.RssKiB / 1024.0:F1} MiB " +
                                    $"({(held.RssKiB - heapBefore.RssKiB) / (double)count:F1} KiB per socket)");
                            }
                            : null;
                        var figures = await IdleSockets.MeasureAsync(instance, cookie, count, initialize, _paths, settings.IdleSettle, whileHeld, beforeOpening);
                        _results.Idle.Add(figures);
                        Step($"  held {figures.Held}/{count}, {figures.KiBPerSocket:F1} KiB per socket, gateway fds {figures.GatewayFds}{(figures.FirstError.Length > 0 ? ", first error: " + figures.FirstError : "")}");
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
                    {
                        _results.Notes.Add($"idle sockets, {count} {(initialize ? "initialized" : "open")}: no figure: {ex.Message.ReplaceLineEndings(" ")}");
                        Step("  failed: " + ex.Message);
                    }
                    finally
                    {
                        await instance.Process.StopAsync(TimeSpan.FromSeconds(15));
                    }
                }
            }
        }

        if (settings.Sections.Contains("refresh"))
        {
            await RefreshAsync(stack, redis, chat);
        }

        return _results;
    }

    private async Task ChatAsync(Dictionary<string, Uri> targets, string cookie, Dictionary<string, int> profiled, Dictionary<string, AllocationProbe> allocations)
    {
        var script = Path.Combine(settings.Repo, "bench", "lua", "chat.lua");
        using (var http = new HttpClient())
        {
            foreach (var (name, address) in targets)
            {
                // One request first, so that a misconfigured target fails loudly instead of measuring 401s.
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/api/v2/chat"))
                {
                    Content = new StringContent("""{"messages":[{"role":"user","content":"hello there"}],"model":"bench-1","stream":false}""", System.Text.Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("Cookie", cookie);
                request.Headers.Add("X-CSRF", "1");
                request.Headers.Add("Authorization", "Bearer bench-direct-token");
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"usage\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"POST /api/v2/chat to the {name} answered {(int)response.StatusCode}: {body}");
                }
            }
        }

        // Tiered JIT needs tens of seconds of load on 2 shared cores before a server runs its final code:
        // warm each proxy once at length, then every measurement gets its own short warm-up.
        foreach (var name in new[] { Bare, Gateway })
        {
            Step($"chat: pre-warming the {name} ({settings.ChatPreWarm.TotalSeconds:F0} s of load)");
            await Wrk.RunAsync(new Uri(targets[name], "/api/v2/chat"), script, cookie, settings.WrkThreads, settings.WrkConnections, settings.ChatPreWarm, _paths.Logs, name.Replace(' ', '-') + "-prewarm");
        }

        for (var round = 0; round < settings.ChatRounds; round++)
        {
            var order = round % 2 == 0 ? new[] { Direct, Bare, Gateway } : [Gateway, Bare, Direct];
            foreach (var name in order)
            {
                var url = new Uri(targets[name], "/api/v2/chat");
                var label = name.Replace(' ', '-') + "-r" + round;
                Step($"chat: {name}, round {round + 1}: warm-up {settings.ChatWarmUp.TotalSeconds:F0} s, then wrk -t{settings.WrkThreads} -c{settings.WrkConnections} -d{settings.ChatDuration.TotalSeconds:F0}s");
                await Wrk.RunAsync(url, script, cookie, settings.WrkThreads, settings.WrkConnections, settings.ChatWarmUp, _paths.Logs, label + "-warmup");
                var pid = profiled[name];
                var profiling = round == 0 && name != Direct
                    ? profiler.WhileLoadAsync(pid, "chat-" + name.Replace(' ', '-'), settings.ChatDuration)
                    : Task.CompletedTask;
                var figures = await LoadFigures.WithCpuAsync(pid, () => Wrk.RunAsync(url, script, cookie, settings.WrkThreads, settings.WrkConnections, settings.ChatDuration, _paths.Logs, label), allocations[name]);
                await profiling;
                Step($"  {figures.RequestsPerSecond:F0} req/s, p50 {figures.P50Ms:F2} ms, p99 {figures.P99Ms:F2} ms, errors {figures.Errors}, {figures.CpuUsPerRequest:F0} µs CPU, {figures.BytesPerRequest:F0} B allocated per request");
                (_results.Chat.TryGetValue(name, out var list) ? list : _results.Chat[name] = []).Add(figures);
                if (profiler.Enabled && round == 0 && name == Gateway)
                {
                    // Allocation sampling (GC AllocationTick with stacks) in a window of its own: it slows the process down.
                    Step($"chat: {name}, allocation trace (dotnet-trace gc-verbose) under {settings.ChatDuration.TotalSeconds:F0} s more of the same load");
                    var tracing = profiler.AllocationsWhileLoadAsync(pid, "chat-" + name, settings.ChatDuration);
                    await Wrk.RunAsync(url, script, cookie, settings.WrkThreads, settings.WrkConnections, settings.ChatDuration, _paths.Logs, label + "-alloc");
                    await tracing;
                }
            }
        }
    }

    private async Task BridgeAsync(GatewayInstance gateway, string cookie, Uri mcpEndpoint, AllocationProbe server)
    {
        foreach (var clients in settings.McpClients)
        {
            Step($"bridge: {clients} client(s), Streamable HTTP straight to the MCP server: warm-up {settings.McpWarmUp.TotalSeconds:F0} s, {settings.McpDuration.TotalSeconds:F0} s measured");
            var direct = await McpLoad.RunAsync(() => McpLoad.ConnectDirectAsync(mcpEndpoint), clients, settings.McpWarmUp, settings.McpDuration, _mcpPid, server);
            Step($"  {direct.RequestsPerSecond:F0} calls/s, p50 {direct.P50Ms:F2} ms, p99 {direct.P99Ms:F2} ms, errors {direct.Errors}, MCP server {direct.CpuUsPerRequest:F0} µs CPU, {direct.BytesPerRequest:F0} B allocated per call {direct.Note}");
            Step($"bridge: {clients} client(s) over the gateway's WebSocket");
            var profiling = clients == settings.McpClients[^1]
                ? Task.Delay(settings.McpWarmUp + TimeSpan.FromSeconds(1)).ContinueWith(_ => profiler.WhileLoadAsync(gateway.Process.Pid, $"bridge-{clients}", settings.McpDuration - TimeSpan.FromSeconds(2))).Unwrap()
                : Task.CompletedTask;
            var through = await McpLoad.RunAsync(() => McpLoad.ConnectThroughGatewayAsync(gateway.BaseAddress, cookie), clients, settings.McpWarmUp, settings.McpDuration, gateway.Process.Pid,
                AllocationProbe.Gateway(gateway.BaseAddress));
            await profiling;
            Step($"  {through.RequestsPerSecond:F0} calls/s, p50 {through.P50Ms:F2} ms, p99 {through.P99Ms:F2} ms, errors {through.Errors}, gateway {through.CpuUsPerRequest:F0} µs CPU, {through.BytesPerRequest:F0} B allocated per call {through.Note}");
            _results.Bridge.Add((clients, direct, through));
        }

        foreach (var clients in settings.McpClients)
        {
            Step($"bridge: {clients} client(s) calling the gateway's own calculator over its WebSocket");
            var tools = await McpLoad.RunAsync(() => McpLoad.ConnectThroughGatewayAsync(gateway.BaseAddress, cookie), clients, settings.McpWarmUp, settings.McpDuration, gateway.Process.Pid,
                AllocationProbe.Gateway(gateway.BaseAddress), McpLoad.Calculator);
            Step($"  {tools.RequestsPerSecond:F0} calls/s, p50 {tools.P50Ms:F2} ms, p99 {tools.P99Ms:F2} ms, errors {tools.Errors}, gateway {tools.CpuUsPerRequest:F0} µs CPU, {tools.BytesPerRequest:F0} B allocated per call {tools.Note}");
            _results.GatewayTools.Add((clients, tools));
        }
    }

    private async Task StreamableHttpAsync(GatewayInstance gateway, string cookie, Uri mcpEndpoint, AllocationProbe server)
    {
        foreach (var clients in settings.McpHttpClients)
        {
            Step($"mcp-http: {clients} client(s), the SDK's Streamable HTTP client straight to the MCP server");
            var direct = await McpLoad.RunAsync(() => McpLoad.ConnectDirectAsync(mcpEndpoint), clients, settings.McpWarmUp, settings.McpDuration, _mcpPid, server);
            Step($"  {direct.RequestsPerSecond:F0} calls/s, p99 {direct.P99Ms:F2} ms, errors {direct.Errors} {direct.Note}");
            Step($"mcp-http: {clients} client(s), the same client to the gateway's Streamable HTTP /mcp with the session cookie");
            var through = await McpLoad.RunAsync(() => McpLoad.ConnectOverGatewayHttpAsync(gateway.BaseAddress, cookie), clients, settings.McpWarmUp, settings.McpDuration, gateway.Process.Pid,
                AllocationProbe.Gateway(gateway.BaseAddress));
            Step($"  {through.RequestsPerSecond:F0} calls/s, p99 {through.P99Ms:F2} ms, errors {through.Errors}, gateway {through.CpuUsPerRequest:F0} µs CPU, {through.BytesPerRequest:F0} B allocated per call {through.Note}");
            _results.StreamableHttp.Add((clients, direct, through));
        }
    }

    private async Task RefreshAsync(Stack stack, string redis, Uri chat)
    {
        const int ttl = 8;
        var margin = TimeSpan.FromSeconds(5);
        _results.RefreshTokenTtl = ttl;
        _results.RefreshMargin = margin;
        Step($"refresh: a second provider with {ttl} s access tokens, a gateway refreshing {margin.TotalSeconds:F0} s before expiry (cold start)");
        var (idp, issuer) = await stack.StartIdpAsync(ttl, "idp-short-ttl");
        var settingsR = GatewaySettings(issuer, redis, $"bench-{Guid.NewGuid():N}"[..14] + ":", chat, mcp: null);
        settingsR["Auth:RefreshMargin"] = margin.ToString();
        var gateway = await stack.StartGatewayAsync("gateway-refresh", settingsR);
        _results.RefreshGatewayColdStart = gateway.StartToReady;
        try
        {
            var cookies = await BrowserLogin.SignInAsync(gateway.BaseAddress, "bench-refresh-user");
            var signedIn = DateTime.UtcNow;
            var bursts = await RefreshBurst.MeasureAsync(gateway.BaseAddress, cookies, issuer, TimeSpan.FromSeconds(ttl) - margin, signedIn, settings.RefreshRounds);
            foreach (var burst in bursts)
            {
                Step($"  {burst.Kind}: {burst.Ok}/{burst.Requests} OK, wall {burst.WallMs:F1} ms, p50 {burst.P50Ms:F1} ms, max {burst.MaxMs:F1} ms, token-endpoint calls {burst.TokenCalls} (errors {burst.TokenErrors})");
            }

            _results.Bursts.AddRange(bursts);
        }
        finally
        {
            await gateway.Process.StopAsync();
            await idp.StopAsync();
        }
    }

    /// <summary>
    /// What-if runs without touching the code: the same gateway with parts switched off by configuration,
    /// so that their share of the cost is measured rather than guessed.
    /// </summary>
    private async Task ExperimentsAsync(Stack stack, Dictionary<string, string> baseSettings, int port, string cookie, Uri chat, Uri mcpEndpoint)
    {
        // BENCH_ALT_GATEWAY_DLL: another build of the gateway (e.g. a prototype of a fix, built outside the
        // repository) measured in the same interleaved rounds. BENCH_EXPERIMENTS picks the variants.
        var alternative = Environment.GetEnvironmentVariable("BENCH_ALT_GATEWAY_DLL") is { Length: > 0 } alt ? alt : null;
        var logsOff = new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" };
        // BENCH_EXPERIMENT_ENV="NAME=value;NAME2=value": the shipped build with these variables (e.g. a runtime knob that only an
        // environment variable sets), as the variant "env".
        var environmentSpec = Environment.GetEnvironmentVariable("BENCH_EXPERIMENT_ENV") ?? "";
        var environmentChanges = environmentSpec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");
        var all = new (string Key, string Name, Dictionary<string, string> Changes, string? Dll)[]
        {
            ("shipped", "as shipped", [], null),
            ("otel", "OpenTelemetry SDK off (OTEL_SDK_DISABLED=true)", new() { ["OTEL_SDK_DISABLED"] = "true" }, null),
            ("logs", "Information logs off (Logging:LogLevel:Default=Warning)", logsOff, null),
            ("both", "both off", new() { ["OTEL_SDK_DISABLED"] = "true", ["Logging:LogLevel:Default"] = "Warning" }, null),
            ("env", $"as shipped, with {environmentSpec}", environmentChanges, null),
            ("alt", $"alternative build ({Environment.GetEnvironmentVariable("BENCH_ALT_GATEWAY_NAME") ?? alternative})", [], alternative),
            ("alt-logs", "alternative build + Information logs off", logsOff, alternative),
        };
        var chosen = (Environment.GetEnvironmentVariable("BENCH_EXPERIMENTS") ?? (alternative is null ? "shipped,otel,logs,both" : "shipped,both,alt,alt-logs")).Split(',');
        var variants = all.Where(variant => chosen.Contains(variant.Key)
                                            && (variant.Dll is not null || !variant.Key.StartsWith("alt", StringComparison.Ordinal))
                                            && (variant.Key != "env" || environmentChanges.Count > 0))
            .Select(variant => (variant.Name, variant.Changes, variant.Dll)).ToArray();
        var script = Path.Combine(settings.Repo, "bench", "lua", "chat.lua");
        var clients = settings.McpClients[^1];
        // Interleaved rounds, every other one in reverse (A B C D, D C B A, …): a noisy neighbour then hurts every variant alike,
        // and so does the place in a round (an A/A run of 2026-12-04 measured the second gateway of each pair ~7 % more CPU
        // and ~160 B more allocated per request than the first, with the same build and settings).
        foreach (var (name, changes, dll) in Enumerable.Range(0, settings.ExperimentRounds).SelectMany(round => round % 2 == 0 ? variants : variants.Reverse()))
        {
            var variantSettings = new Dictionary<string, string>(baseSettings);
            foreach (var (key, value) in changes)
            {
                variantSettings[key] = value;
            }

            var instance = await stack.StartGatewayAsync("gateway-experiment", variantSettings, port, dll);
            try
            {
                Step($"experiment: {name}");
                var url = new Uri(instance.BaseAddress, "/api/v2/chat");
                await Wrk.RunAsync(url, script, cookie, settings.WrkThreads, settings.WrkConnections, settings.ChatPreWarm, _paths.Logs, "experiment-warmup");
                var probe = AllocationProbe.Gateway(instance.BaseAddress);
                var chatFigures = await LoadFigures.WithCpuAsync(instance.Process.Pid, () => Wrk.RunAsync(url, script, cookie, settings.WrkThreads, settings.WrkConnections, settings.ChatDuration, _paths.Logs, "experiment-" + _results.Experiments.Count), probe);
                // BENCH_EXPERIMENT_BRIDGE=0: chat only (a chat what-if need not wait for the bridge's load).
                var bridge = Environment.GetEnvironmentVariable("BENCH_EXPERIMENT_BRIDGE") == "0"
                    ? new LoadFigures(double.NaN, double.NaN, double.NaN, 0, 0)
                    : await McpLoad.RunAsync(() => McpLoad.ConnectThroughGatewayAsync(instance.BaseAddress, cookie), clients, settings.McpWarmUp, settings.McpDuration, instance.Process.Pid, probe);
                Step($"  chat {chatFigures.RequestsPerSecond:F0} req/s p99 {chatFigures.P99Ms:F2} ms {chatFigures.CpuUsPerRequest:F0} µs CPU/req {chatFigures.BytesPerRequest:F0} B/req; bridge x{clients} {bridge.RequestsPerSecond:F0} calls/s p99 {bridge.P99Ms:F2} ms {bridge.CpuUsPerRequest:F0} µs CPU/call {bridge.BytesPerRequest:F0} B/call");
                _results.Experiments.Add((name, chatFigures, bridge));
            }
            finally
            {
                await instance.Process.StopAsync();
            }
        }
    }

    internal static Dictionary<string, string> GatewaySettings(Uri issuer, string redis, string prefix, Uri chat, Uri? mcp)
    {
        var values = new Dictionary<string, string>
        {
            ["Auth:Authority"] = issuer.GetLeftPart(UriPartial.Authority),
            ["Redis:Configuration"] = redis,
            ["Redis:KeyPrefix"] = prefix,
            ["Upstreams:Chat:Url"] = chat.GetLeftPart(UriPartial.Authority),
            // The limits are for users, not for a load generator signed in as one user.
            ["RateLimits:Chat:PermitLimit"] = "2000000000",
            ["RateLimits:Tools:PermitLimit"] = "2000000000",
            // One user's window spans the run: its last second (in which every request asks Redis for its own permit, as
            // permits taken then could outlive the window) would otherwise land in some measured windows and not others,
            // about 7 % of the gateway's CPU and 160 B per request there (what many real users spread over their own windows).
            ["RateLimits:Chat:Window"] = "1.00:00:00",
            ["RateLimits:Tools:Window"] = "1.00:00:00",
            ["Mcp:MaxSocketsPerUser"] = "1000000",
            ["Mcp:MaxHttpSessionsPerUser"] = "1000000",
            // The idle-socket test holds up to the descriptor limit itself (its workers stop short of it);
            // the gateway's own cap, (limit − 256) ÷ 2, would stop 10,000 open sockets at 9,872.
            ["Gateway:MaxConnections"] = "1000000",
            // Like with like: the baselines (bare YARP, the direct MCP client) send a plain bearer token, so by default the
            // gateway's tokens are bearer too; BENCH_DPOP=auto measures DPoP-bound tokens (a proof signed per upstream request).
            ["Auth:Dpop"] = Environment.GetEnvironmentVariable("BENCH_DPOP") is { Length: > 0 } dpop ? dpop : "off",
        };
        if (mcp is not null)
        {
            values["Upstreams:Mcp:Url"] = mcp.AbsoluteUri;
        }

        // BENCH_GW_<NAME>=<value> passes <NAME>=<value> to every gateway (e.g. BENCH_GW_DOTNET_gcServer=0 for a what-if).
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && key.StartsWith("BENCH_GW_", StringComparison.Ordinal))
            {
                values[key["BENCH_GW_".Length..]] = variable.Value as string ?? "";
            }
        }

        if (Environment.GetEnvironmentVariable("BENCH_PROFILE_DIR") is { Length: > 0 })
        {
            values["DOTNET_PerfMapEnabled"] = "1";
            values["DOTNET_EnableWriteXorExecute"] = "0";
        }

        return values;
    }

    internal static void Step(string message) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
