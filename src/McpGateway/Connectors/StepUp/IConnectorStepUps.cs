namespace McpGateway.Connectors.StepUp;

/// <summary>
/// The scope a connector's server last demanded (403 insufficient_scope) of a session, by the session's storage key
/// and the connector's name, until its time to live; shared by every replica. Scope strings only, no secrets.
/// </summary>
internal interface IConnectorStepUps
{
    Task SaveAsync(string sessionKey, string connector, string scope, TimeSpan timeToLive, CancellationToken cancellationToken);

    Task<string?> GetAsync(string sessionKey, string connector, CancellationToken cancellationToken);

    Task RemoveAsync(string sessionKey, string connector, CancellationToken cancellationToken);
}
