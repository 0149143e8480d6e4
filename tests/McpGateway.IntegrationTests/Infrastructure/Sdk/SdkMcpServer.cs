using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>
/// An MCP server built with the SDK (ModelContextProtocol.AspNetCore), Streamable HTTP at
/// <c>/mcp</c>, stateful sessions (2025-11-25: initialize, Mcp-Session-Id, server-to-client
/// requests), in this process on Kestrel on 127.0.0.1. Every request must carry an active bearer
/// token (introspected at the provider) and is recorded in <see cref="Audit"/>. It can forget every
/// session by restarting on the same port: then the SDK itself answers 404 for the old session ids.
/// </summary>
internal sealed class SdkMcpServer : IAsyncDisposable
{
    public const string ServerName = "sdk-test-upstream";

    private readonly OidcProvider _provider;
    private WebApplication? _app;

    private readonly bool _announcesListChanged;

    private SdkMcpServer(OidcProvider provider, bool announcesListChanged)
    {
        _provider = provider;
        _announcesListChanged = announcesListChanged;
    }

    public int Port { get; private set; }

    public Uri McpUrl => new($"http://127.0.0.1:{Port}/mcp");

    public BearerAudit Audit { get; } = new();

    public SdkToolJournal Journal { get; } = new();

    /// <summary>The server's own logs, across restarts.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <param name="provider">The provider that checks the bearer tokens.</param>
    /// <param name="announcesListChanged">false: the server says its tools never change (no <c>tools.listChanged</c>), so it announces nothing it would send unasked.</param>
    public static async Task<SdkMcpServer> StartAsync(OidcProvider provider, bool announcesListChanged = true)
    {
        var server = new SdkMcpServer(provider, announcesListChanged);
        await server.StartAppAsync(port: 0);
        return server;
    }

    /// <summary>Restarts on the same port: every MCP session is forgotten, as after a crash or a deployment.</summary>
    public async Task ForgetSessionsAsync()
    {
        await StopAppAsync();
        await StartAppAsync(Port);
    }

    public ValueTask DisposeAsync() => new(StopAppAsync());

    private async Task StartAppAsync(int port)
    {
        // A restart may find the port still held for a moment by the previous listener.
        for (var attempt = 1; ; attempt++)
        {
            var app = Build(port);
            try
            {
                await app.StartAsync();
                _app = app;
                Port = new Uri(app.Urls.Single()).Port;
                return;
            }
            catch (IOException) when (attempt < 20 && port != 0)
            {
                await app.DisposeAsync();
                await Task.Delay(100);
            }
        }
    }

    private WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ApplicationName = ServerName });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Information).AddProvider(Logs);
        // Open SSE streams would otherwise hold a restart for the default 30 s.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.Services.AddSingleton(new BearerIntrospection(_provider, Audit));
        builder.Services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = ServerName, Version = "1.0" };
                if (!_announcesListChanged)
                {
                    // The SDK always announces logging and, with a tool collection, tools.listChanged: this server's
                    // initialize answer says only that it has tools, like a server that never sends anything unasked.
                    options.Filters.Message.OutgoingFilters.Add(next => (context, cancellationToken) =>
                    {
                        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result } && result.ContainsKey("serverInfo"))
                        {
                            result["capabilities"] = new JsonObject { ["tools"] = new JsonObject() };
                        }

                        return next(context, cancellationToken);
                    });
                }
            })
            .WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateful)
            .WithTools(SdkTestTools.Create(Journal, SdkTestTools.UserOf));

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (await context.RequestServices.GetRequiredService<BearerIntrospection>().AuthenticateAsync(context) is not { } user)
            {
                return;
            }

            context.User = user;
            await next(context);
        });
        app.MapMcp("/mcp");
        return app;
    }

    private async Task StopAppAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
