namespace McpGateway.Hosting;

/// <summary>
/// <c>dotnet McpGateway.dll healthcheck [url]</c>: asks a running gateway's <c>/healthz</c> and exits 0
/// or 1, for container health checks on an image that has no curl. The URL defaults to the first
/// address of <c>ASPNETCORE_URLS</c> (or http://127.0.0.1:8080).
/// </summary>
internal static class HealthProbe
{
    public const string Command = "healthcheck";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    public static async Task<int> RunAsync(string[] args)
    {
        var target = args.Length > 1 ? args[1] : DefaultTarget();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(target), "/healthz"));
            await Console.Out.WriteLineAsync($"{target}/healthz: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{target}/healthz: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The first configured listening address, with a wildcard host replaced by loopback.</summary>
    private static string DefaultTarget()
    {
        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS")
                   ?? (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") is { Length: > 0 } ports
                       ? "http://127.0.0.1:" + ports.Split(';')[0]
                       : "http://127.0.0.1:8080");
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
        return first.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}
