namespace McpGateway.Sessions;

/// <summary>Raw storage of sessions by <see cref="SessionId.StorageKey"/>, indexed by subject and OIDC sid.</summary>
internal interface ISessionRepository
{
    Task CreateAsync(string key, SessionRecord record, TimeSpan timeToLive, CancellationToken cancellationToken);

    Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken);

    Task<byte[]?> GetTokensAsync(string key, CancellationToken cancellationToken);

    /// <returns><see langword="false"/> when the session no longer exists (it is not recreated).</returns>
    Task<bool> UpdateTicketAsync(string key, byte[] protectedTicket, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <returns><see langword="false"/> when the session no longer exists (it is not recreated).</returns>
    Task<bool> UpdateTokensAsync(string key, byte[] protectedTokens, CancellationToken cancellationToken);

    /// <returns><see langword="true"/> when a session was removed.</returns>
    Task<bool> RemoveAsync(string key, CancellationToken cancellationToken);

    /// <summary>Sessions alive now, across every replica.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> FindBySubjectAsync(string subject, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> FindBySidAsync(string sid, CancellationToken cancellationToken);
}
