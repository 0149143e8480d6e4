using System.Globalization;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>The sample chat server (deploy/dev/chat-upstream.mjs) introspecting bearers at any issuer, e.g. a <see cref="ProxiedProvider"/>.</summary>
internal sealed class ChatServer : IAsyncDisposable
{
    private readonly ExternalProcess _process;

    private ChatServer(ExternalProcess process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    public static async Task<ChatServer> StartAsync(string issuer)
    {
        await DevStackInstaller.EnsureInstalledAsync();
        var port = FreePort.Next();
        var process = await ExternalProcess.StartAsync("chat-proxied", "node", ["chat-upstream.mjs"], new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["ISSUER"] = issuer,
            ["INTROSPECTION_CACHE_MS"] = "0",
        }, TestPaths.DevStack, line => line.Contains("CHAT UPSTREAM READY", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        return new ChatServer(process, port);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
