namespace McpGateway.Mcp.Resumable;

/// <summary>
/// The unanswered calls of each resumable WebSocket session (by the key of its binding, <see cref="SocketResumption.KeyOf"/>),
/// so that the replica a browser reconnects to delivers the answers of calls the lost replica had relayed, instead of
/// the browser sending them again. Writes do not wait for the store: a call it missed is sent again as before.
/// </summary>
internal interface IInFlightCalls
{
    /// <summary>Records <paramref name="call"/>; the session's calls are forgotten <paramref name="keepFor"/> after the last record.</summary>
    void Record(string sessionKey, InFlightCall call, TimeSpan keepFor);

    void Remove(string sessionKey, InFlightCallKey call);

    Task<IReadOnlyList<InFlightCall>> ListAsync(string sessionKey, CancellationToken cancellationToken);
}
