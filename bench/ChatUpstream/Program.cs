// A deliberately fast chat upstream for the benchmarks: POST /api/v2/chat with a bearer token gets a
// fixed, non-streamed answer with usage (the gateway meters it). Anything else: 401 or 404. It does
// no work of its own, so what the benchmark shows is the cost of whatever sits in front of it.
using System.Text;

var port = Environment.GetEnvironmentVariable("PORT") ?? throw new InvalidOperationException("PORT is required.");
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();

var answer = Encoding.UTF8.GetBytes(
    """{"id":"chat-bench","model":"bench-1","provider":"bench","message":{"role":"assistant","content":"Echo: hello there"},"usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}}""");

app.MapPost("/api/v2/chat", async context =>
{
    if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return;
    }

    // A real server reads the request; so does this one, then throws it away.
    var body = context.Request.BodyReader;
    while (true)
    {
        var read = await body.ReadAsync(context.RequestAborted);
        body.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    context.Response.ContentType = "application/json";
    context.Response.ContentLength = answer.Length;
    await context.Response.Body.WriteAsync(answer, context.RequestAborted);
});
app.MapGet("/_health", () => "ok");
// Bytes allocated since start, read by the harness before and after a measured window (off the measured route).
app.MapGet("/_alloc", () => GC.GetTotalAllocatedBytes().ToString(System.Globalization.CultureInfo.InvariantCulture));

await app.StartAsync();
Console.WriteLine($"CHAT UPSTREAM READY http://127.0.0.1:{port}");
await app.WaitForShutdownAsync();
