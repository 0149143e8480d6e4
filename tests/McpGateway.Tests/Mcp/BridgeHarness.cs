using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using McpGateway.Contexts;
using McpGateway.Hosting.Telemetry;
using McpGateway.Limits;
using McpGateway.Mcp;
using McpGateway.Mcp.Dialects;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using McpGateway.Tests.Mcp.Upstream;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Mcp;

/// <summary>
/// An <see cref="McpBridge"/> running over a real WebSocket pair for user <c>alice</c>, with the calculator and
/// <c>gateway_echo</c>, in-memory contexts, a fake clock and a prepared fake upstream; the test plays the browser.
/// </summary>
internal sealed class BridgeHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly WebSocketPair _pair = new();
    private readonly FakeUpstreamSessionFactory _upstreams = new();
    private readonly UserRateLimits _limits = new(
        Microsoft.Extensions.Options.Options.Create(new RateLimitOptions()), Microsoft.Extensions.Options.Options.Create(new McpGateway.Storage.RedisOptions()),
        TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<UserRateLimits>.Instance);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly GatewayTelemetry _telemetry;
    private McpBridge? _bridge;
    private Task? _running;

    public BridgeHarness() => _telemetry = new GatewayTelemetry(_services.GetRequiredService<IMeterFactory>());

    public FakeTimeProvider Time { get; } = new();

    public McpOptions Options { get; } = new() { MaxConcurrentRequestsPerSocket = 2, RequestTimeout = TimeSpan.FromSeconds(30), IdleTimeout = TimeSpan.FromMinutes(5) };

    public CapturingLogger<McpBridge> Logger { get; } = new();

    /// <summary>The bridge's run, which ends when the socket closed.</summary>
    public Task Running => _running ?? Task.CompletedTask;

    /// <summary>The browser's end of the socket.</summary>
    public WebSocket Browser => _pair.Browser;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Starts the bridge; its first upstream session will be <paramref name="upstream"/>.</summary>
    public FakeUpstreamSession Start(FakeUpstreamSession upstream, IMcpDialect? dialect = null, Func<BridgeUser, McpGateway.Mcp.Resumable.ResumableSocket>? resumable = null)
    {
        _upstreams.Prepare(upstream);
        var contexts = new ContextService(new InMemoryContextStore(Time), new InMemoryEventBus(new CapturingLogger<InMemoryEventBus>()),
            Microsoft.Extensions.Options.Options.Create(new ContextOptions()), Time);
        var tools = GatewayTools.CalculatorAndEcho();
        var user = new BridgeUser("alice", "Alice", SessionId.New());
        _bridge = new McpBridge(
            "s1",
            new WebSocketBrowserTransport(new BrowserSocket(_pair.Gateway, Options.MaxFrameBytes), dialect ?? new JsonRpcDialect()),
            user,
            _upstreams,
            new GatewayRequestHandler(tools, contexts),
            new ResultAugmenter(tools, NullLogger<ResultAugmenter>.Instance),
            _limits,
            _telemetry,
            Options,
            Time,
            Logger,
            resumable: resumable?.Invoke(user));
        _running = _bridge.RunAsync(Cancellation);
        return upstream;
    }

    public async Task<JsonObject> AskAsync(string frame)
    {
        await SendAsync(frame);
        return await ReceiveAsync();
    }

    /// <summary>Sends a frame and returns the first answer with <paramref name="id"/>, skipping others.</summary>
    public async Task<JsonObject> AskUntilAsync(string frame, int id)
    {
        await SendAsync(frame);
        while (true)
        {
            var message = await ReceiveAsync();
            if ((int?)message["id"] == id)
            {
                return message;
            }
        }
    }

    public Task SendAsync(string frame)
        => _pair.Browser.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, Cancellation).WaitAsync(Patience, Cancellation);

    /// <summary>The next whole message to the browser, as JSON; a close frame fails the test.</summary>
    public async Task<JsonObject> ReceiveAsync()
    {
        var buffer = new byte[1024 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult received;
        do
        {
            received = await _pair.Browser.ReceiveAsync(buffer.AsMemory(length), Cancellation).AsTask().WaitAsync(Patience, Cancellation);
            Assert.NotEqual(WebSocketMessageType.Close, received.MessageType);
            length += received.Count;
        }
        while (!received.EndOfMessage);

        return Assert.IsType<JsonObject>(JsonNode.Parse(buffer.AsSpan(0, length)));
    }

    /// <summary>Waits for the gateway's close frame and returns its code and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync()
    {
        var received = await _pair.Browser.ReceiveAsync(new byte[4096].AsMemory(), Cancellation).AsTask().WaitAsync(Patience, Cancellation);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        return (_pair.Browser.CloseStatus, _pair.Browser.CloseStatusDescription);
    }

    public async ValueTask DisposeAsync()
    {
        if (_bridge is not null)
        {
            _pair.Browser.Abort();
            await _running!.WaitAsync(Patience, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            await _bridge.DisposeAsync();
        }

        _limits.Dispose();
        _telemetry.Dispose();
        await _services.DisposeAsync();
        _pair.Dispose();
    }
}
