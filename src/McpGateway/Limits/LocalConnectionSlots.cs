namespace McpGateway.Limits;

/// <summary>Single-instance mode: the replica's own registry is the whole count, so every slot is granted here.</summary>
internal sealed class LocalConnectionSlots : IUserConnectionSlots
{
    public ValueTask<bool> TryTakeAsync(ConnectionKind kind, string subject, string connectionId, int max, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask ReleaseAsync(ConnectionKind kind, string subject, string connectionId) => ValueTask.CompletedTask;
}
