namespace McpGateway.Sessions;

/// <summary>
/// Per-connector token sets kept inside a session (already encrypted by the caller): they live and die with it,
/// so ending a session (logout, expiry, back-channel) removes them too. Never recreates an ended session.
/// </summary>
internal interface ISessionConnectorTokens
{
    Task<byte[]?> GetConnectorTokensAsync(string key, string connector, CancellationToken cancellationToken);

    /// <returns><see langword="false"/> when the session no longer exists.</returns>
    Task<bool> SetConnectorTokensAsync(string key, string connector, byte[] protectedTokens, CancellationToken cancellationToken);

    Task RemoveConnectorTokensAsync(string key, string connector, CancellationToken cancellationToken);

    /// <summary>The connectors the session holds tokens for, with their (protected) tokens.</summary>
    Task<IReadOnlyDictionary<string, byte[]>> GetAllConnectorTokensAsync(string key, CancellationToken cancellationToken);
}
