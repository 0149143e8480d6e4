using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>One of the development stack's Node.js servers (deploy/dev), on a loopback port, with its audit log.</summary>
internal sealed class NodeServer : IAsyncDisposable
{
    private readonly string _name;
    private readonly string[] _arguments;
    private readonly Dictionary<string, string> _environment;
    private readonly string _readyLine;
    private readonly HttpClient _http = new();
    private ExternalProcess? _process;

    private NodeServer(string name, string[] arguments, Dictionary<string, string> environment, string readyLine, int port)
    {
        _name = name;
        _arguments = arguments;
        _environment = environment;
        _readyLine = readyLine;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>server-everything (the MCP reference server), Streamable HTTP at /mcp, no authentication.</summary>
    public static Task<NodeServer> StartEverythingAsync()
        => StartAsync("everything", ["--import", "./loopback.mjs", "node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"], [], "LOOPBACK LISTENING");

    /// <summary>
    /// The bearer-checking front of an MCP server: every request's token is introspected at the provider. With
    /// <paramref name="auditOnly"/> it checks nothing and only audits (whether an Authorization header came along).
    /// </summary>
    /// DPoP-bound tokens need a valid proof; with <paramref name="dpopNonce"/> the proofs must also carry the front's nonce.
    public static Task<NodeServer> StartMcpFrontAsync(Uri upstream, OidcProvider provider, bool auditOnly = false, bool dpopNonce = false)
        => StartAsync("mcp-front", ["mcp-front.mjs"], new()
        {
            ["DPOP_NONCE"] = dpopNonce ? "1" : "0",
            ["UPSTREAM"] = upstream.GetLeftPart(UriPartial.Authority),
            ["ISSUER"] = provider.Issuer,
            ["INTROSPECTION_CACHE_MS"] = "0",
            ["AUDIT_ONLY"] = auditOnly ? "1" : "0",
        }, "MCP FRONT READY");

    /// <summary>
    /// An MCP server (TypeScript SDK) that is its own resource server: RFC 9728 metadata naming <paramref name="provider"/>,
    /// 401 with resource_metadata without a token, JWT access tokens validated against the provider's JWKS and its own URL.
    /// </summary>
    public static Task<NodeServer> StartProtectedMcpAsync(OidcProvider provider, int port)
        => StartAsync("mcp-protected", ["mcp-protected.mjs"], new() { ["ISSUER"] = provider.Issuer }, "MCP PROTECTED READY", port);

    public static Task<NodeServer> StartSearchAsync() => StartAsync("search", ["search-upstream.mjs"], [], "SEARCH UPSTREAM READY");

    /// <summary>The sample chat server, tokens introspected (DPoP-bound ones need a valid proof, with <paramref name="dpopNonce"/> carrying its nonce).</summary>
    public static Task<NodeServer> StartChatAsync(OidcProvider provider, bool dpopNonce = false)
        => StartAsync("chat", ["chat-upstream.mjs"], new() { ["ISSUER"] = provider.Issuer, ["INTROSPECTION_CACHE_MS"] = "0", ["DPOP_NONCE"] = dpopNonce ? "1" : "0" }, "CHAT UPSTREAM READY");

    public async Task StartAgainAsync()
    {
        _process = await ExternalProcess.StartAsync(
            _name, "node", _arguments, _environment, TestPaths.DevStack, line => line.Contains(_readyLine, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>The dev server's record of every request it received (who, which method, whether a cookie came along).</summary>
    public async Task<JsonElement[]> AuditAsync() => (await _http.GetFromJsonAsync<JsonElement[]>(new Uri(BaseAddress, "/_audit")))!;

    public async Task ClearAuditAsync()
    {
        using var response = await _http.DeleteAsync(new Uri(BaseAddress, "/_audit"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The MCP front answers the next bearer request 401 invalid_token, whatever the token.</summary>
    public async Task RefuseNextTokenAsync()
    {
        using var response = await _http.PostAsync(new Uri(BaseAddress, "/_refuse-next"), content: null);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
    }

    private static async Task<NodeServer> StartAsync(string name, string[] arguments, Dictionary<string, string> environment, string readyLine, int? reservedPort = null)
    {
        await DevStackInstaller.EnsureInstalledAsync();
        var port = reservedPort ?? FreePort.Next();
        environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        var server = new NodeServer(name, arguments, environment, readyLine, port);
        await server.StartAgainAsync();
        return server;
    }
}
