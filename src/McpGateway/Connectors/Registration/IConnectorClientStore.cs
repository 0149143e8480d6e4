using McpGateway.Auth.Registration;

namespace McpGateway.Connectors.Registration;

/// <summary>
/// The connector clients registered by DCR, one per authorization server issuer, shared by every replica. Kept apart
/// from the sign-in registration (another key), since a connector's authorization server may be the sign-in one.
/// </summary>
internal interface IConnectorClientStore
{
    Task<StoredRegistration?> GetAsync(string issuer, CancellationToken cancellationToken);

    Task SaveAsync(StoredRegistration registration, CancellationToken cancellationToken);
}
