using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A gateway instance on Kestrel on a real loopback port, configured like an operator would (the
/// design's configuration keys), with its logs captured. Several may run at once, e.g. two replicas
/// on one Redis.
/// </summary>
internal sealed class GatewayHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private GatewayHost(int port, IReadOnlyDictionary<string, string?> settings)
    {
        Port = port;
        _settings = settings;
        UseKestrel(port);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public CapturedLogs Logs { get; } = new();

    /// <summary>Starts a gateway; <paramref name="port"/> reuses a port (a restart at the same public origin).</summary>
    public static GatewayHost Start(GatewaySettings settings, int? port = null)
    {
        var chosen = port ?? FreePort.Next();
        var host = new GatewayHost(chosen, settings.Build(new Uri($"http://127.0.0.1:{chosen}")));
        host.StartServer();
        return host;
    }

    public T GetRequiredService<T>() where T : notnull => Services.GetRequiredService<T>();

    public Browser CreateBrowser() => new(BaseAddress);

    /// <summary>Waits until <c>/readyz</c> answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync("/readyz");
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The gateway did not become ready: " + last + "\n" + Logs.Text);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
    }

    public override async ValueTask DisposeAsync()
    {
        var logs = Directory.CreateDirectory(Path.Combine(TestPaths.Artifacts, "logs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(logs, $"gateway-{Port}-{DateTime.UtcNow:HHmmssfff}.log"), Logs.Text);
        await base.DisposeAsync();
    }
}
