using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Bench;

/// <summary>
/// MCP <c>tools/call</c> round trips in a closed loop: N SDK McpClients, each calling <c>echo</c> (or the
/// gateway's own <c>calculator</c>) and waiting for the answer before the next call. The same client code runs
/// over the gateway's WebSocket and over Streamable HTTP straight to the server; only the transport differs.
/// </summary>
internal static class McpLoad
{
    public const string ProtocolVersion = "2025-11-25";

    /// <summary>The upstream's tool: relayed by the gateway.</summary>
    public static readonly CallToolRequestParams Echo = new()
    {
        Name = "echo",
        Arguments = new Dictionary<string, JsonElement> { ["message"] = JsonSerializer.SerializeToElement("hello there") },
    };

    /// <summary>The gateway's own tool (the example of its description): answered by the gateway, no upstream.</summary>
    public static readonly CallToolRequestParams Calculator = new()
    {
        Name = "calculator",
        Arguments = new Dictionary<string, JsonElement> { ["expression"] = JsonSerializer.SerializeToElement("2 * (3 + 4)^2 / sqrt(16)") },
    };

    public static McpClientOptions ClientOptions(string name) => new()
    {
        ClientInfo = new Implementation { Name = name, Version = "1.0" },
        ProtocolVersion = ProtocolVersion,
    };

    /// <summary>An McpClient over the gateway's /mcp, signed in with the session cookie.</summary>
    public static async Task<McpClient> ConnectThroughGatewayAsync(Uri gateway, string cookieHeader)
    {
        var socket = await WebSocketClientTransport.OpenAsync(gateway, cookieHeader, CancellationToken.None);
        return await McpClient.CreateAsync(new WebSocketClientTransport(socket), ClientOptions("bench-browser"));
    }

    /// <summary>The same SDK client as <see cref="ConnectDirectAsync"/>, to the gateway's Streamable HTTP <c>/mcp</c> with only the session cookie.</summary>
    public static async Task<McpClient> ConnectOverGatewayHttpAsync(Uri gateway, string cookieHeader)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(gateway, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Cookie"] = cookieHeader },
        });
        return await McpClient.CreateAsync(transport, ClientOptions("bench-http-browser"));
    }

    /// <summary>An McpClient with the SDK's own Streamable HTTP transport, straight to the server.</summary>
    public static async Task<McpClient> ConnectDirectAsync(Uri mcpEndpoint)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = mcpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer bench-direct-token" },
        });
        return await McpClient.CreateAsync(transport, ClientOptions("bench-direct"));
    }

    /// <param name="serverPid">The process whose CPU time (and allocations, when <paramref name="allocations"/> reads them) is charged to the calls of the measured window.</param>
    /// <param name="call">The tool call each loop repeats (<see cref="Echo"/> unless given).</param>
    public static async Task<LoadFigures> RunAsync(Func<Task<McpClient>> connect, int clients, TimeSpan warmUp, TimeSpan duration, int serverPid, AllocationProbe? allocations = null,
        CallToolRequestParams? call = null)
    {
        call ??= Echo;
        var connected = new McpClient[clients];
        using (var opening = new SemaphoreSlim(16))
        {
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async index =>
            {
                await opening.WaitAsync();
                try
                {
                    connected[index] = await connect();
                }
                finally
                {
                    opening.Release();
                }
            }));
        }

        try
        {
            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
            var measureTo = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var loops = Task.WhenAll(connected.Select(client => Task.Run(() => LoopAsync(client, call, measureFrom, measureTo))));
            await Task.Delay(warmUp);
            var cpuBefore = ManagedProcess.CpuTicks(serverPid);
            var allocatedBefore = allocations is null ? null : await allocations.ReadAsync();
            // The scrape took a moment of the window: wait for its end, not a full duration more.
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (duration - Stopwatch.GetElapsedTime(measureFrom)).Ticks)));
            var cpuUsed = ManagedProcess.CpuTicks(serverPid) - cpuBefore;
            var allocatedAfter = allocations is null ? null : await allocations.ReadAsync();
            var results = await loops;
            var latencies = results.SelectMany(result => result.Latencies).ToArray();
            Array.Sort(latencies);
            var errors = results.Sum(result => result.Errors);
            return new LoadFigures(latencies.Length / duration.TotalSeconds, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), latencies.Length, errors,
                results.Select(result => result.FirstError).FirstOrDefault(error => error is not null) ?? "")
            {
                CpuUsPerRequest = latencies.Length == 0 ? double.NaN : cpuUsed * 1_000_000.0 / ManagedProcess.TicksPerSecond / latencies.Length,
                BytesPerRequest = AllocationProbe.PerRequest(allocatedBefore, allocatedAfter, latencies.Length),
            };
        }
        finally
        {
            await Task.WhenAll(connected.Where(client => client is not null).Select(async client =>
            {
                try
                {
                    await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (Exception)
                {
                }
            }));
        }
    }

    private static async Task<(List<long> Latencies, long Errors, string? FirstError)> LoopAsync(McpClient client, CallToolRequestParams call, long measureFrom, long measureTo)
    {
        var latencies = new List<long>(65536);
        long errors = 0;
        string? firstError = null;
        while (true)
        {
            var began = Stopwatch.GetTimestamp();
            if (began >= measureTo)
            {
                break;
            }

            var ok = true;
            try
            {
                var result = await client.CallToolAsync(call);
                ok = result.IsError != true;
                if (!ok)
                {
                    firstError ??= "tool answered isError";
                }
            }
            catch (Exception ex)
            {
                ok = false;
                firstError ??= ex.GetType().Name + ": " + ex.Message;
                await Task.Delay(10);
            }

            var ended = Stopwatch.GetTimestamp();
            if (began >= measureFrom && ended <= measureTo)
            {
                if (ok)
                {
                    latencies.Add(ended - began);
                }
                else
                {
                    errors++;
                }
            }
        }

        return (latencies, errors, firstError);
    }
}
