using McpGateway.Mcp.Resumable;
using McpGateway.Mcp.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// What a <see cref="McpBridge"/> relays to: one <see cref="UpstreamLink"/> (a pure relay to a single server), or the
/// <see cref="Connectors.Routing.ConnectorRouter"/> in front of several.
/// </summary>
internal interface IBridgeUpstream : IAsyncDisposable
{
    /// <summary>The upstream's session id, when one server holds the whole session (what another replica resumes).</summary>
    string? UpstreamSessionId { get; }

    /// <summary>
    /// Behind the connector router: each connector's upstream session (joined or opened here), by connector name, what
    /// another replica resumes; <see langword="null"/> for one server (<see cref="UpstreamSessionId"/>).
    /// </summary>
    IReadOnlyDictionary<string, ConnectorSessionBinding>? ConnectorSessions { get; }

    /// <summary>Called when an upstream session was opened or initialized (its id may be new): a resumable socket stores it.</summary>
    Action? SessionsChanged { get; set; }

    /// <summary>The browser's <c>initialize</c>, once it succeeded.</summary>
    JsonRpcRequest? Initialize { get; }

    /// <summary>
    /// Before first use: continue a session another replica began: one server's <paramref name="upstreamSessionId"/>, or
    /// behind the router each connector's session in <paramref name="connectors"/> (each with its revision; one server's
    /// is <paramref name="protocolVersion"/>).
    /// </summary>
    void Resume(string? upstreamSessionId, JsonRpcRequest initialize, IReadOnlyDictionary<string, ConnectorSessionBinding>? connectors = null, string? protocolVersion = null);

    /// <summary>
    /// A resumable socket's record of unanswered calls: each call relayed from then on is kept in it (once its stream
    /// shows an event) until it is answered, so that the replica a lost browser reconnects to can deliver the answer.
    /// </summary>
    InFlightJournal? Journal { get; set; }

    /// <summary>
    /// After a resumed <c>initialize</c>: the answers of the <paramref name="calls"/> the lost socket left unanswered are
    /// read again from the upstream and sent to the browser with its ids, or an error says the call may or may not have
    /// run; each answer comes <paramref name="within"/> the request timeout.
    /// </summary>
    void Recover(IReadOnlyList<InFlightCall> calls, TimeSpan within);

    /// <summary>Like <see cref="IAsyncDisposable.DisposeAsync"/>, but the upstream session is left open for a browser that reconnects (no DELETE).</summary>
    ValueTask DetachAsync() => DisposeAsync();

    /// <summary>Relays a request of the browser; the answer carries the browser's id.</summary>
    Task<JsonRpcMessage> RequestAsync(JsonRpcRequest request, CancellationToken cancellationToken);

    /// <summary>Relays a notification of the browser.</summary>
    Task NotifyAsync(JsonRpcNotification notification, CancellationToken cancellationToken);

    /// <summary>Relays the browser's answer to a server-to-client request.</summary>
    Task AnswerAsync(JsonRpcMessage answer, CancellationToken cancellationToken);
}
