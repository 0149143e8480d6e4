namespace McpGateway.Storage;

/// <summary>
/// Named mutual-exclusion locks shared by every gateway replica (Redis), or by this process alone
/// in single-instance mode. A lock is held until the returned handle is disposed.
/// </summary>
internal interface IGatewayLocks
{
    /// <returns>The held lock, or <see langword="null"/> when it could not be taken within <paramref name="timeout"/>.</returns>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan timeout, CancellationToken cancellationToken);
}
