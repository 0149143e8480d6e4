using McpGateway.Storage;

namespace McpGateway.Sessions;

/// <summary>Ends server-side sessions: one by id, or all of an OIDC sid or subject (back-channel logout).</summary>
internal sealed class SessionTerminator(ISessionRepository repository, IGatewayEventBus events, ILogger<SessionTerminator> logger, SessionCache? cache = null)
{
    public Task<bool> EndAsync(SessionId id, string reason, CancellationToken cancellationToken)
        => EndAsync(id.StorageKey, reason, cancellationToken);

    public async Task<int> EndBySidAsync(string sid, string reason, CancellationToken cancellationToken)
        => await EndAllAsync(await repository.FindBySidAsync(sid, cancellationToken), reason, cancellationToken);

    public async Task<int> EndBySubjectAsync(string subject, string reason, CancellationToken cancellationToken)
        => await EndAllAsync(await repository.FindBySubjectAsync(subject, cancellationToken), reason, cancellationToken);

    private async Task<int> EndAllAsync(IReadOnlyList<string> storageKeys, string reason, CancellationToken cancellationToken)
    {
        var ended = 0;
        foreach (var key in storageKeys)
        {
            ended += await EndAsync(key, reason, cancellationToken) ? 1 : 0;
        }

        return ended;
    }

    private async Task<bool> EndAsync(string storageKey, string reason, CancellationToken cancellationToken)
    {
        cache?.Evict(storageKey);
        var removed = await repository.RemoveAsync(storageKey, cancellationToken);
        if (removed)
        {
            SessionsLog.SessionEnded(logger, SessionId.Describe(storageKey), reason);
            // Every replica closes the sockets of this session.
            await events.PublishAsync(new GatewayEvent { Type = GatewayEvent.SessionEnded, SessionKey = storageKey, Reason = reason }, cancellationToken);
        }

        return removed;
    }
}
