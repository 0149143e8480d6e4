using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// The development OpenID provider (deploy/dev/idp.mjs) reachable only through a <see cref="TcpFaultProxy"/>:
/// its issuer is the proxy's address, so discovery, the forms, the token endpoint and revocation all
/// go through the proxy, and a test can cut the provider off while it keeps its clients and grants.
/// </summary>
internal sealed class ProxiedProvider : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly HttpClient _http = new();
    private ExternalProcess? _process;

    private ProxiedProvider(int port, TcpFaultProxy proxy, Dictionary<string, string> environment)
    {
        Port = port;
        Proxy = proxy;
        _environment = environment;
    }

    /// <summary>The provider's own port (for its test counters); the gateway never uses it.</summary>
    public int Port { get; }

    public TcpFaultProxy Proxy { get; }

    public string Issuer => $"http://127.0.0.1:{Proxy.Port}";

    public static async Task<ProxiedProvider> StartAsync(int accessTokenTtl)
    {
        await DevStackInstaller.EnsureInstalledAsync();
        var port = FreePort.Next();
        var proxy = TcpFaultProxy.Start(FreePort.Next(), port);
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["ISSUER"] = $"http://127.0.0.1:{proxy.Port}",
            ["ACCESS_TOKEN_TTL"] = accessTokenTtl.ToString(CultureInfo.InvariantCulture),
            ["INTROSPECTION_CLIENT_ID"] = OidcProvider.IntrospectionClientId,
            ["INTROSPECTION_CLIENT_SECRET"] = OidcProvider.IntrospectionClientSecret,
        };
        var provider = new ProxiedProvider(port, proxy, environment);
        await provider.StartAgainAsync();
        return provider;
    }

    /// <summary>Starts a new provider process on the same port and issuer: it has forgotten every client and grant.</summary>
    public async Task StartAgainAsync()
    {
        _process = await ExternalProcess.StartAsync(
            "idp-proxied", "node", ["idp.mjs"], _environment, TestPaths.DevStack,
            line => line.StartsWith("IDP READY", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    public async Task<DateTime> KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("The provider is not running.");
        _process = null;
        return await ProcessKiller.KillAsync(process);
    }

    /// <summary>A counter of the provider's dev-only statistics, read directly (not through the proxy).</summary>
    public async Task<int> CountAsync(params string[] path)
    {
        var element = await _http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{Port}/_stats");
        foreach (var segment in path)
        {
            if (!element.TryGetProperty(segment, out element))
            {
                return 0;
            }
        }

        return element.GetInt32();
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _http.Dispose();
    }
}
