namespace McpGateway.Limits;

/// <summary>
/// The per-user cap on long-lived connections (WebSockets) across every replica. The replica's own
/// registry enforces the cap for what it holds; this counts what all replicas hold.
/// </summary>
internal interface IUserConnectionSlots
{
    /// <summary>Takes one of the user's <paramref name="max"/> slots for <paramref name="connectionId"/>; false when all are taken.</summary>
    ValueTask<bool> TryTakeAsync(string subject, string connectionId, int max, CancellationToken cancellationToken);

    /// <summary>Gives the slot back when the connection closes.</summary>
    ValueTask ReleaseAsync(string subject, string connectionId);
}
