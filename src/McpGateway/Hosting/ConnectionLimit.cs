using System.Globalization;

namespace McpGateway.Hosting;

/// <summary>
/// How many connections the gateway may hold without running out of file descriptors. A process that
/// hits its descriptor limit cannot open a Redis or upstream connection, a timer or a file any more, and
/// the .NET runtime does not survive it; Kestrel instead closes connections beyond its limit at once.
/// An initialized browser socket holds two descriptors (its own and its upstream session's stream),
/// and a reserve is kept for Redis, the upstream connection pools, files and the runtime.
/// </summary>
internal static class ConnectionLimit
{
    public const long Reserve = 256;
    public const long Minimum = 64;

    /// <summary>The configured limit, else one derived from the descriptor limit; <see langword="null"/> when neither is known.</summary>
    public static long? Resolve(long? configured, long? descriptorLimit)
        => configured ?? (descriptorLimit is { } limit ? Math.Max(Minimum, (limit - Reserve) / 2) : null);

    /// <summary>The soft limit on open files, from <c>/proc/self/limits</c>; <see langword="null"/> when unlimited or unknown.</summary>
    public static long? ReadDescriptorLimit(string limitsFile = "/proc/self/limits")
    {
        if (!File.Exists(limitsFile))
        {
            return null;
        }

        foreach (var line in File.ReadLines(limitsFile))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        return null;
    }
}
