using System.Collections.Concurrent;
using System.Threading.Channels;
using McpGateway.Mcp.Upstream;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Upstream;

/// <summary>An upstream MCP session in memory: records what is sent, and sends what a test (or <see cref="Answer"/>) says.</summary>
internal sealed class FakeUpstreamSession : IUpstreamSession
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<JsonRpcMessage> _fromServer = Channel.CreateUnbounded<JsonRpcMessage>();
    private readonly Channel<JsonRpcMessage> _sent = Channel.CreateUnbounded<JsonRpcMessage>();

    /// <summary>Thrown by <see cref="SendAsync"/> for a message, instead of sending it; null sends.</summary>
    public Func<JsonRpcMessage, Exception?> Fail { get; set; } = _ => null;

    /// <summary>What the server answers to a request right away; null leaves the answer to the test.</summary>
    public Func<JsonRpcRequest, JsonRpcMessage?> Answer { get; set; } = _ => null;

    public ChannelReader<JsonRpcMessage> Messages => _fromServer.Reader;

    public ConcurrentQueue<JsonRpcMessage> Sent { get; } = new();

    public bool Disposed { get; private set; }

    /// <summary>The <c>Mcp-Session-Id</c> the server gave (null: none).</summary>
    public string? SessionId { get; set; }

    public Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (Fail(message) is { } failure)
        {
            return Task.FromException(failure);
        }

        Sent.Enqueue(message);
        _sent.Writer.TryWrite(message);
        if (message is JsonRpcRequest request && Answer(request) is { } answer)
        {
            _fromServer.Writer.TryWrite(answer);
        }

        return Task.CompletedTask;
    }

    /// <summary>The server sends a message (a response, a request or a notification).</summary>
    public void Send(JsonRpcMessage message) => _fromServer.Writer.TryWrite(message);

    /// <summary>The server ends the session (its message stream completes).</summary>
    public void End() => _fromServer.Writer.TryComplete();

    /// <summary>The next message the gateway sent to this session.</summary>
    public async Task<JsonRpcMessage> NextSentAsync()
        => await _sent.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);

    public async Task<T> NextSentAsync<T>() where T : JsonRpcMessage => Assert.IsType<T>(await NextSentAsync());

    /// <summary>Set when the link left the server's session open (<see cref="IUpstreamSession.DetachAsync"/>) instead of ending it.</summary>
    public bool Detached { get; private set; }

    public ValueTask DetachAsync()
    {
        Detached = true;
        return DisposeAsync();
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        _fromServer.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    /// <summary>Answers <c>initialize</c> (and anything in <paramref name="results"/>) like a server would.</summary>
    public static FakeUpstreamSession Answering(params (string Method, string Result)[] results)
    {
        var session = new FakeUpstreamSession();
        session.Answer = request => request.Method == "initialize"
            ? new JsonRpcResponse { Id = request.Id, Result = System.Text.Json.Nodes.JsonNode.Parse("""{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"fake","version":"1"}}""") }
            : results.FirstOrDefault(result => result.Method == request.Method) is { Method: not null } found
                ? new JsonRpcResponse { Id = request.Id, Result = System.Text.Json.Nodes.JsonNode.Parse(found.Result) }
                : null;
        return session;
    }
}
