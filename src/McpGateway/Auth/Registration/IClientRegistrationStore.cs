namespace McpGateway.Auth.Registration;

/// <summary>The registration shared by every replica, keyed by the issuer.</summary>
internal interface IClientRegistrationStore
{
    Task<StoredRegistration?> GetAsync(string issuer, CancellationToken cancellationToken);

    Task SaveAsync(StoredRegistration registration, CancellationToken cancellationToken);

    Task DeleteAsync(string issuer, CancellationToken cancellationToken);
}
