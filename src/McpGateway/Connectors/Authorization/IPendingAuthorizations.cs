namespace McpGateway.Connectors.Authorization;

/// <summary>Authorizations in progress by the SHA-256 of their state (shared by every replica), each usable once until its time to live.</summary>
internal interface IPendingAuthorizations
{
    Task SaveAsync(string stateKey, byte[] protectedFlow, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Reads without using it up, to check whom it belongs to first.</summary>
    Task<byte[]?> PeekAsync(string stateKey, CancellationToken cancellationToken);

    /// <summary>Atomically reads and deletes it: of two callbacks with one state, only one gets it.</summary>
    Task<byte[]?> TakeAsync(string stateKey, CancellationToken cancellationToken);
}
