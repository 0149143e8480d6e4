using System.Globalization;

namespace Bench;

/// <summary>
/// Bytes a process has allocated since it started (the runtime's <c>GC.GetTotalAllocatedBytes()</c>), read
/// before and after a measured window: divided by the requests of the window, the allocation per request.
/// The gateway exports it on its Prometheus endpoint (<c>AddRuntimeInstrumentation</c>: the runtime's own
/// <c>System.Runtime</c> meter, <c>dotnet.gc.heap.total_allocated</c>); the bench apps answer it at <c>/_alloc</c>.
/// </summary>
internal sealed class AllocationProbe(Uri source)
{
    /// <summary>The metric's Prometheus names: the runtime's own meter (.NET 9+) and the older instrumentation's.</summary>
    private static readonly string[] MetricNames = ["dotnet_gc_heap_total_allocated_bytes_total", "process_runtime_dotnet_gc_allocations_size_bytes_total"];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static AllocationProbe Gateway(Uri baseAddress) => new(new Uri(baseAddress, "/metrics"));

    public static AllocationProbe BenchApp(Uri baseAddress) => new(new Uri(baseAddress, "/_alloc"));

    /// <returns>The bytes allocated so far, or <see langword="null"/> when the process does not say.</returns>
    public async Task<long?> ReadAsync()
    {
        try
        {
            var text = await Http.GetStringAsync(source);
            if (!source.AbsolutePath.EndsWith("/metrics", StringComparison.Ordinal))
            {
                return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
            }

            foreach (var line in text.Split('\n'))
            {
                foreach (var name in MetricNames)
                {
                    // "name{labels} value [timestamp]" or "name value [timestamp]".
                    if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
                    {
                        var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
                        return (long)double.Parse(value, CultureInfo.InvariantCulture);
                    }
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Bytes per request over a window: (after − before) ÷ requests, NaN when unknown.</summary>
    public static double PerRequest(long? before, long? after, long requests)
        => before is { } b && after is { } a && requests > 0 ? (a - b) / (double)requests : double.NaN;
}
