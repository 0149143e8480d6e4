namespace McpGateway.Limits;

/// <summary>
/// The per-user caps on long-lived connections (WebSockets, Streamable HTTP event streams) across every
/// replica, one count per <see cref="ConnectionKind"/>. The replica's own registry enforces the cap for
/// what it holds; this counts what all replicas hold.
/// </summary>
internal interface IUserConnectionSlots
{
    /// <summary>
    /// Takes one of the user's <paramref name="max"/> slots of a kind for <paramref name="connectionId"/> (unique across
    /// replicas; a connection that continues another, a resumed socket, passes its predecessor's id and takes over its
    /// slot); false when all are taken.
    /// </summary>
    ValueTask<bool> TryTakeAsync(ConnectionKind kind, string subject, string connectionId, int max, CancellationToken cancellationToken);

    /// <summary>Gives the slot back when the connection closes.</summary>
    ValueTask ReleaseAsync(ConnectionKind kind, string subject, string connectionId);
}
