namespace Bench;

/// <summary>
/// Section <c>bridge-alt</c>: the bridge and idle-socket measurements of this build and of another build of the
/// gateway (<c>BENCH_ALT_GATEWAY_DLL</c>, e.g. the branch's starting commit built into its own folder), in one run.
/// Rounds alternate the order (direct, this build, the other; then the other, this build, direct), so that a busy
/// neighbour hurts both builds alike; each build gets a fresh gateway per round. CPU and allocated bytes per call
/// are the figures to compare on a shared machine.
/// </summary>
internal sealed class BuildComparison(BenchSettings settings, BenchPaths paths, BenchResults results)
{
    public const string This = "this build";

    public async Task RunAsync(Stack stack, Dictionary<string, string> gatewaySettings, int port, string cookie, Uri mcpEndpoint, int mcpPid, AllocationProbe server)
    {
        var alternative = Environment.GetEnvironmentVariable("BENCH_ALT_GATEWAY_DLL") is { Length: > 0 } dll ? dll : null;
        if (alternative is null)
        {
            results.Notes.Add("bridge-alt: no BENCH_ALT_GATEWAY_DLL given, nothing compared.");
            return;
        }

        var other = Environment.GetEnvironmentVariable("BENCH_ALT_GATEWAY_NAME") is { Length: > 0 } name ? name : "other build";
        var builds = new (string Name, string? Dll)[] { (This, null), (other, alternative) };
        for (var round = 0; round < settings.ExperimentRounds; round++)
        {
            var order = round % 2 == 0 ? builds : [.. builds.Reverse()];
            if (round % 2 == 0)
            {
                await DirectAsync(round, mcpEndpoint, mcpPid, server);
            }

            foreach (var (buildName, buildDll) in order)
            {
                await BuildAsync(stack, gatewaySettings, port, cookie, round, buildName, buildDll);
            }

            if (round % 2 == 1)
            {
                await DirectAsync(round, mcpEndpoint, mcpPid, server);
            }
        }

        if (Environment.GetEnvironmentVariable("BENCH_ALT_IDLE") == "0")
        {
            return;
        }

        foreach (var count in settings.IdleCounts)
        {
            foreach (var (buildName, buildDll) in builds)
            {
                var instance = await stack.StartGatewayAsync($"gateway-alt-idle-{count}", gatewaySettings, port, buildDll);
                try
                {
                    BenchRun.Step($"bridge-alt: {buildName}, {count} idle sockets opened and initialized");
                    var figures = await IdleSockets.MeasureAsync(instance, cookie, count, initialize: true, paths, settings.IdleSettle);
                    BenchRun.Step($"  held {figures.Held}/{count}, {figures.KiBPerSocket:F1} KiB per socket, gateway fds {figures.GatewayFds}");
                    results.IdleComparison.Add((buildName, figures));
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
                {
                    results.Notes.Add($"bridge-alt idle, {buildName}, {count}: no figure: {ex.Message.ReplaceLineEndings(" ")}");
                }
                finally
                {
                    await instance.Process.StopAsync(TimeSpan.FromSeconds(15));
                }
            }
        }
    }

    private async Task DirectAsync(int round, Uri mcpEndpoint, int mcpPid, AllocationProbe server)
    {
        foreach (var clients in settings.McpClients)
        {
            BenchRun.Step($"bridge-alt round {round + 1}: {clients} client(s) straight to the MCP server");
            var figures = await McpLoad.RunAsync(() => McpLoad.ConnectDirectAsync(mcpEndpoint), clients, settings.McpWarmUp, settings.McpDuration, mcpPid, server);
            Report(figures);
            results.BuildComparison.Add(new BuildComparisonRow(BenchRun.Direct, round, "echo", clients, figures));
        }
    }

    private async Task BuildAsync(Stack stack, Dictionary<string, string> gatewaySettings, int port, string cookie, int round, string buildName, string? dll)
    {
        var instance = await stack.StartGatewayAsync("gateway-alt", gatewaySettings, port, dll);
        try
        {
            var probe = AllocationProbe.Gateway(instance.BaseAddress);
            foreach (var clients in settings.McpClients)
            {
                BenchRun.Step($"bridge-alt round {round + 1}: {buildName}, {clients} client(s) calling echo through the gateway");
                var echo = await McpLoad.RunAsync(() => McpLoad.ConnectThroughGatewayAsync(instance.BaseAddress, cookie), clients, settings.McpWarmUp, settings.McpDuration, instance.Process.Pid, probe);
                Report(echo);
                results.BuildComparison.Add(new BuildComparisonRow(buildName, round, "echo", clients, echo));
            }

            var calculatorClients = settings.McpClients[^1];
            BenchRun.Step($"bridge-alt round {round + 1}: {buildName}, {calculatorClients} client(s) calling the gateway's calculator");
            var calculator = await McpLoad.RunAsync(() => McpLoad.ConnectThroughGatewayAsync(instance.BaseAddress, cookie), calculatorClients, settings.McpWarmUp, settings.McpDuration,
                instance.Process.Pid, probe, McpLoad.Calculator);
            Report(calculator);
            results.BuildComparison.Add(new BuildComparisonRow(buildName, round, "calculator", calculatorClients, calculator));
        }
        finally
        {
            await instance.Process.StopAsync();
        }
    }

    private static void Report(LoadFigures figures)
        => BenchRun.Step($"  {figures.RequestsPerSecond:F0} calls/s, p99 {figures.P99Ms:F2} ms, errors {figures.Errors}, {figures.CpuUsPerRequest:F0} µs CPU, {figures.BytesPerRequest:F0} B allocated per call {figures.Note}");
}
