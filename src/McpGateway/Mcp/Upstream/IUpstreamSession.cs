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

    /// <summary>Closes this end but leaves the server's session open, for another replica to join (no DELETE).</summary>
    ValueTask DetachAsync() => DisposeAsync();

    /// <exception cref="UpstreamSessionLostException">The server no longer knows the session.</exception>
    /// <exception cref="UpstreamUnavailableException">The server cannot be reached or failed.</exception>
    /// <exception cref="SessionEndedException">The user's session ended; no token can be attached.</exception>
    /// <exception cref="UpstreamRejectedException">The server answered the request with a JSON-RPC error outside the message stream.</exception>
    Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken);
}
