// A fast MCP server built with the SDK for the benchmarks: Streamable HTTP at /mcp, stateful sessions
// (2025-11-25: initialize, Mcp-Session-Id, the standalone GET stream), one tool `echo`. A request
// only has to carry a bearer token (no introspection): the figures are about the transports.
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

var port = Environment.GetEnvironmentVariable("PORT") ?? throw new InvalidOperationException("PORT is required.");
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
builder.Services
    .AddMcpServer(options => options.ServerInfo = new Implementation { Name = "bench-echo", Version = "1.0" })
    .WithHttpTransport(options =>
    {
        options.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.Stateful;
        // The idle-socket benchmark holds 10,000 sessions open; the default would prune beyond 10,000.
        options.MaxIdleSessionCount = 1_000_000;
    })
    .WithTools([McpServerTool.Create((string message) => message, new McpServerToolCreateOptions { Name = "echo", Description = "Returns the message." })]);

var app = builder.Build();
app.Use((context, next) =>
{
    if (context.Request.Path.StartsWithSegments("/mcp")
        && !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    return next(context);
});
app.MapMcp("/mcp");
app.MapGet("/_health", () => "ok");
// Bytes allocated since start, read by the harness before and after a measured window (off the measured route).
app.MapGet("/_alloc", () => GC.GetTotalAllocatedBytes().ToString(System.Globalization.CultureInfo.InvariantCulture));

await app.StartAsync();
Console.WriteLine($"MCP ECHO READY http://127.0.0.1:{port}/mcp");
await app.WaitForShutdownAsync();
