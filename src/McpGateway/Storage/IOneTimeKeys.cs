namespace McpGateway.Storage;

/// <summary>Remembers keys for a while so that each is accepted once (replay protection, e.g. a logout token's jti).</summary>
internal interface IOneTimeKeys
{
    /// <returns><see langword="true"/> the first time <paramref name="key"/> is used within <paramref name="remember"/>.</returns>
    Task<bool> TryUseAsync(string key, TimeSpan remember, CancellationToken cancellationToken);
}
