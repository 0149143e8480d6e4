using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// The gateway as its own process (<c>dotnet McpGateway.dll</c>, configured by environment variables as an operator
/// would), so that a test can SIGKILL it (<see cref="ProcessKiller.KillAsync(ExternalProcess)"/>); its JSON console log is kept.
/// </summary>
internal static class GatewayProcess
{
    public static async Task<ExternalProcess> StartAsync(GatewaySettings settings, int port)
    {
        var assembly = typeof(Program).Assembly.Location;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:" + port,
            ["Logging__LogLevel__Default"] = "Information",
        };
        foreach (var (key, value) in settings.Build(new Uri("http://127.0.0.1:" + port)))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        var process = await ExternalProcess.StartAsync(
            $"gateway-{port}", "dotnet", [assembly], environment, Path.GetDirectoryName(assembly)!,
            line => line.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + port) };
        await GatewayAssertions.EventuallyAsync(async () =>
        {
            try
            {
                using var ready = await http.GetAsync("/readyz");
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), $"the gateway process on port {port} became ready");
        return process;
    }
}
