using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Resumable;

/// <summary>
/// The in-flight calls of one resumable socket (<see cref="IInFlightCalls"/>): a call is recorded when its stream
/// first shows an event to resume from, and forgotten once answered here. A call whose socket was lost stays
/// recorded for the replica the browser reconnects to. Behind the router each connector's link writes through its
/// own view (<see cref="For"/>), so that its calls are recovered by that connector's link.
/// </summary>
internal sealed class InFlightJournal(IInFlightCalls store, string sessionKey, TimeSpan keepFor, string? connector = null)
{
    /// <summary>The same journal, for the calls the link of <paramref name="connectorName"/> relays.</summary>
    public InFlightJournal For(string connectorName) => new(store, sessionKey, keepFor, connectorName);

    public Tracker Track(long upstreamId, RequestId browserId) => new(this, upstreamId, browserId);

    /// <summary>Every connector's calls of the session.</summary>
    public Task<IReadOnlyList<InFlightCall>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(sessionKey, cancellationToken);

    public void Forget(long upstreamId) => store.Remove(sessionKey, new InFlightCallKey(connector, upstreamId));

    /// <summary>Forgets a call listed by <see cref="ListAsync"/> (whichever connector's it is).</summary>
    public void Forget(InFlightCall call) => store.Remove(sessionKey, call.Key);

    private void Record(long upstreamId, RequestId browserId, string eventId)
        => store.Record(sessionKey, new InFlightCall(new InFlightCallKey(connector, upstreamId), browserId, eventId), keepFor);

    /// <summary>One call's entry: <see cref="Seen"/> is the stream's event callback, <see cref="End"/> forgets it once it was recorded.</summary>
    internal sealed class Tracker(InFlightJournal journal, long upstreamId, RequestId browserId)
    {
        private int _recorded;

        public void Seen(string eventId)
        {
            if (Interlocked.Exchange(ref _recorded, 1) == 0)
            {
                journal.Record(upstreamId, browserId, eventId);
            }
        }

        public void End()
        {
            if (Volatile.Read(ref _recorded) == 1)
            {
                journal.Forget(upstreamId);
            }
        }
    }
}
