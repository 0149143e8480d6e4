using System.Threading.Channels;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>One MCP session with the upstream server, on behalf of one browser socket.</summary>
internal interface IUpstreamSession : IAsyncDisposable
{
    /// <summary>What the server sends: responses, server-to-client requests, notifications. Completes when the session is lost.</summary>
    ChannelReader<JsonRpcMessage> Messages { get; }

    /// <summary>The server's <c>Mcp-Session-Id</c>, once it issued one (Streamable HTTP only).</summary>
    string? SessionId => null;

    /// <summary>
    /// After joining a session another replica opened (not initialized here): it speaks <paramref name="protocolVersion"/>
    /// (the revision stored with it, if any), and is used from now on.
    /// </summary>
    void Joined(string? protocolVersion)
    {
    }

    /// <summary>Closes this end but leaves the server's session open, for another replica to join (no DELETE).</summary>
    ValueTask DetachAsync() => DisposeAsync();

    /// <exception cref="UpstreamSessionLostException">The server no longer knows the session.</exception>
    /// <exception cref="UpstreamUnavailableException">The server cannot be reached or failed.</exception>
    /// <exception cref="SessionEndedException">The user's session ended; no token can be attached.</exception>
    /// <exception cref="UpstreamRejectedException">The server answered the request with a JSON-RPC error outside the message stream.</exception>
    Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a request; a transport that reads the answer from the request's own response returns it here, the others
    /// (and one that must keep it behind messages sent before it) return <see langword="null"/> and put it in <see cref="Messages"/>.
    /// </summary>
    /// <exception cref="UpstreamSessionLostException">The server no longer knows the session.</exception>
    /// <exception cref="UpstreamUnavailableException">The server cannot be reached or failed.</exception>
    /// <exception cref="SessionEndedException">The user's session ended; no token can be attached.</exception>
    /// <exception cref="UpstreamRejectedException">The server answered the request with a JSON-RPC error outside the message stream.</exception>
    /// <remarks><paramref name="eventSeen"/> is told each new event id of the request's stream (what <see cref="ResumeRequestAsync"/> resumes from); transports without events never call it.</remarks>
    async Task<JsonRpcMessage?> RequestAsync(JsonRpcRequest request, Action<string>? eventSeen, CancellationToken cancellationToken)
    {
        await SendAsync(request, cancellationToken);
        return null;
    }

    /// <summary>
    /// The answer to <paramref name="awaited"/>, a request sent earlier on this session (perhaps by another replica), read
    /// from its stream resumed after <paramref name="lastEventId"/>; <see langword="null"/> when it was put in <see cref="Messages"/>.
    /// </summary>
    /// <exception cref="UpstreamUnavailableException">The stream cannot be resumed, or ended without the answer.</exception>
    Task<JsonRpcMessage?> ResumeRequestAsync(RequestId awaited, string lastEventId, CancellationToken cancellationToken)
        => throw new UpstreamUnavailableException("this transport cannot resume a request's stream");
}
