using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Resumable;

/// <summary>
/// The in-flight calls of one resumable socket (<see cref="IInFlightCalls"/>): a call is recorded when its stream
/// first shows an event to resume from, and forgotten once answered here. A call whose socket was lost stays
/// recorded for the replica the browser reconnects to.
/// </summary>
internal sealed class InFlightJournal(IInFlightCalls store, string sessionKey, TimeSpan keepFor)
{
    public Tracker Track(long upstreamId, RequestId browserId) => new(this, upstreamId, browserId);

    public Task<IReadOnlyList<InFlightCall>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(sessionKey, cancellationToken);

    public void Forget(long upstreamId) => store.Remove(sessionKey, upstreamId);

    private void Record(InFlightCall call) => store.Record(sessionKey, call, keepFor);

    /// <summary>One call's entry: <see cref="Seen"/> is the stream's event callback, <see cref="End"/> forgets it once it was recorded.</summary>
    internal sealed class Tracker(InFlightJournal journal, long upstreamId, RequestId browserId)
    {
        private int _recorded;

        public void Seen(string eventId)
        {
            if (Interlocked.Exchange(ref _recorded, 1) == 0)
            {
                journal.Record(new InFlightCall(upstreamId, browserId, eventId));
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
