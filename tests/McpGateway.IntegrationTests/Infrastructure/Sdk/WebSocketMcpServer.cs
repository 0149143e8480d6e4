using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>
/// An MCP server built with the SDK that speaks over a WebSocket (subprotocol <c>mcp</c>, one
/// JSON-RPC message per text frame) at <c>ws://127.0.0.1:PORT/mcp</c>, for the gateway's
/// <c>ws://</c> upstream. The upgrade needs an active bearer token (introspected at the provider;
/// 401 otherwise), which fixes the user for the connection's life. Tools: <c>echo</c>, <c>whoami</c>,
/// and <c>slow</c> (for calls in flight while the gateway reconnects).
/// </summary>
internal sealed class WebSocketMcpServer : IAsyncDisposable
{
    public const string ServerName = "sdk-websocket-upstream";
    public const string SubProtocol = "mcp";

    private readonly ConcurrentQueue<(DateTimeOffset At, string Sub)> _upgrades = new();
    private readonly WebApplication _app;
    private readonly ILoggerFactory _loggers;

    private WebSocketMcpServer(WebApplication app)
    {
        _app = app;
        _loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(Logs));
    }

    public int Port => new Uri(_app.Urls.Single()).Port;

    public Uri McpUrl => new($"ws://127.0.0.1:{Port}/mcp");

    /// <summary>Every upgrade request, accepted or not.</summary>
    public BearerAudit Audit { get; } = new();

    public SdkToolJournal Journal { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>The accepted upgrades so far: when, and for whom.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Sub)> Upgrades => [.. _upgrades];

    /// <summary>The users of the upgrades accepted since <paramref name="at"/>, in order.</summary>
    public IReadOnlyList<string> UpgradesSince(DateTimeOffset at) => [.. _upgrades.Where(upgrade => upgrade.At >= at).Select(upgrade => upgrade.Sub)];

    public static async Task<WebSocketMcpServer> StartAsync(OidcProvider provider)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ApplicationName = ServerName });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new WebSocketMcpServer(app);
        var introspection = new BearerIntrospection(provider, server.Audit);

        app.UseWebSockets();
        app.Map("/mcp", async context =>
        {
            if (await introspection.AuthenticateAsync(context) is not { } user)
            {
                return;
            }

            if (!context.WebSockets.IsWebSocketRequest || !context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new { error = "Open a WebSocket with subprotocol 'mcp'." });
                return;
            }

            var sub = user.FindFirst(BearerIntrospection.SubClaim)!.Value;
            using var socket = await context.WebSockets.AcceptWebSocketAsync(SubProtocol);
            server._upgrades.Enqueue((DateTimeOffset.UtcNow, sub));
            var options = new McpServerOptions
            {
                ServerInfo = new Implementation { Name = ServerName, Version = "1.0" },
                Capabilities = new ServerCapabilities { Tools = new ToolsCapability() },
                ToolCollection = [.. SdkTestTools.Create(server.Journal, _ => sub).Where(tool => tool.ProtocolTool.Name is "echo" or "whoami" or "slow")],
            };

            // The bearer came with the upgrade: the connection belongs to that user until it closes.
            await using var mcp = McpServer.Create(new WebSocketMessageTransport(socket), options, server._loggers, context.RequestServices);
            try
            {
                await mcp.RunAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });

        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _loggers.Dispose();
    }
}
