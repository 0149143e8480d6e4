// The baseline the gateway's chat route is measured against: YARP alone, the same route
// (POST /api/v2/chat) to the same upstream, with the same header work a BFF must do at the least
// (drop the cookie and the CSRF header, set a bearer token) but no session, no rate limit, no metering,
// no telemetry.
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

var port = Environment.GetEnvironmentVariable("PORT") ?? throw new InvalidOperationException("PORT is required.");
var upstream = Environment.GetEnvironmentVariable("UPSTREAM") ?? throw new InvalidOperationException("UPSTREAM is required.");
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddReverseProxy()
    .LoadFromMemory(
        [new RouteConfig { RouteId = "chat", ClusterId = "chat", Match = new RouteMatch { Path = "/api/v2/chat", Methods = ["POST"] } }],
        [new ClusterConfig { ClusterId = "chat", Destinations = new Dictionary<string, DestinationConfig> { ["chat"] = new() { Address = upstream } } }])
    .AddTransforms(context =>
    {
        context.AddRequestHeaderRemove("Cookie");
        context.AddRequestHeaderRemove("X-CSRF");
        context.AddRequestHeader("Authorization", "Bearer bench-static-token", append: false);
    });
var app = builder.Build();
app.MapGet("/_health", () => "ok");
// Bytes allocated since start, read by the harness before and after a measured window (off the measured route).
app.MapGet("/_alloc", () => GC.GetTotalAllocatedBytes().ToString(System.Globalization.CultureInfo.InvariantCulture));
app.MapReverseProxy();

await app.StartAsync();
Console.WriteLine($"BARE PROXY READY http://127.0.0.1:{port}");
await app.WaitForShutdownAsync();
