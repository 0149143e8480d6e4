using System.Threading.Channels;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// Messages on their way to one open HTTP response: a POST's answer stream (the requests and
/// notifications sent while it is open, then its response) or the session's standalone GET stream.
/// </summary>
internal sealed class MessageStream(long order, bool carriesServerMessages)
{
    private readonly Channel<JsonRpcMessage> _messages = Channel.CreateBounded<JsonRpcMessage>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>When it opened: server-initiated messages go to the newest open POST stream.</summary>
    public long Order { get; } = order;

    /// <summary>False for a POST answered as <c>application/json</c>: only its response can go there.</summary>
    public bool CarriesServerMessages { get; } = carriesServerMessages;

    public ChannelReader<JsonRpcMessage> Reader => _messages.Reader;

    public bool TryWrite(JsonRpcMessage message) => _messages.Writer.TryWrite(message);

    /// <summary>Whether the response of the POST's request came (else the stream ended because the session closed).</summary>
    public bool Answered { get; private set; }

    /// <summary>The last message: the response of the POST's request.</summary>
    public void Finish(JsonRpcMessage response)
    {
        Answered = true;
        _messages.Writer.TryWrite(response);
        _messages.Writer.TryComplete();
    }

    /// <summary>Ends the stream without a response (the session closed).</summary>
    public void End() => _messages.Writer.TryComplete();
}
