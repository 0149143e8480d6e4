namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// The Streamable HTTP sessions of every replica, by the SHA-256 of their id, each kept for <see cref="McpOptions.IdleTimeout"/>
/// after its last use; and the resumable WebSocket sessions, by <c>ws-</c> and the SHA-256 of their resume handle, kept for
/// <see cref="McpOptions.ResumeTimeout"/> (<see cref="Resumable.SocketResumption"/>).
/// </summary>
internal interface IMcpSessionBindings
{
    Task SaveAsync(string key, McpSessionBinding binding, TimeSpan keepFor, CancellationToken cancellationToken);

    Task<McpSessionBinding?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>Keeps the binding for <paramref name="keepFor"/> from now.</summary>
    Task TouchAsync(string key, TimeSpan keepFor, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
