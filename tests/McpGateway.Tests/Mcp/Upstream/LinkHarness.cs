using System.Text.Json.Nodes;
using System.Threading.Channels;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Upstream;

/// <summary>An <see cref="UpstreamLink"/> wired to fake upstream sessions, a browser channel and a settable local answerer.</summary>
internal sealed class LinkHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public LinkHarness()
        => Link = new UpstreamLink(
            Factory,
            User,
            (message, cancellationToken) => Browser.Writer.WriteAsync(message, cancellationToken).AsTask(),
            (request, _) => Task.FromResult(Local(request)),
            Logger);

    public SessionId User { get; } = SessionId.New();

    public FakeUpstreamSessionFactory Factory { get; } = new();

    /// <summary>What the link sent to the browser.</summary>
    public Channel<JsonRpcMessage> Browser { get; } = Channel.CreateUnbounded<JsonRpcMessage>();

    public CapturingLogger<UpstreamLink> Logger { get; } = new();

    /// <summary>The gateway's answer to a server request; null relays it to the browser.</summary>
    public Func<JsonRpcRequest, JsonRpcMessage?> Local { get; set; } = _ => null;

    public UpstreamLink Link { get; }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => Link.DisposeAsync();

    /// <summary>Opens a session (links connect on first use) and returns it, its first message read.</summary>
    public async Task<FakeUpstreamSession> ConnectedAsync()
    {
        var session = Factory.Prepare();
        await Link.NotifyAsync(new JsonRpcNotification { Method = "notifications/initialized" }, Cancellation);
        Assert.Equal("notifications/initialized", (await session.NextSentAsync<JsonRpcNotification>()).Method);
        return session;
    }

    public async Task<JsonRpcMessage> NextToBrowserAsync()
        => await Browser.Reader.ReadAsync(Cancellation).AsTask().WaitAsync(Patience, Cancellation);

    public static string MethodOf(JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => request.Method,
        JsonRpcNotification notification => notification.Method,
        _ => message.GetType().Name,
    };

    public static JsonRpcRequest Request(string id, string method, string? parameters = null) => Request(new RequestId(id), method, parameters);

    public static JsonRpcRequest Request(long id, string method, string? parameters = null) => Request(new RequestId(id), method, parameters);

    public static JsonRpcRequest Request(RequestId id, string method, string? parameters = null)
        => new() { Id = id, Method = method, Params = parameters is null ? null : JsonNode.Parse(parameters) };
}
