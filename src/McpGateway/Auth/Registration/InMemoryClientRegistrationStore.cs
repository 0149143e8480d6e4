using System.Collections.Concurrent;

namespace McpGateway.Auth.Registration;

/// <summary>Single-instance mode: the registration lives as long as the process (a restart registers again).</summary>
internal sealed class InMemoryClientRegistrationStore : IClientRegistrationStore
{
    private readonly ConcurrentDictionary<string, StoredRegistration> _registrations = new(StringComparer.Ordinal);

    public Task<StoredRegistration?> GetAsync(string issuer, CancellationToken cancellationToken)
        => Task.FromResult(_registrations.GetValueOrDefault(issuer));

    public Task SaveAsync(StoredRegistration registration, CancellationToken cancellationToken)
    {
        _registrations[registration.Current.Issuer] = registration;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string issuer, CancellationToken cancellationToken)
    {
        _registrations.TryRemove(issuer, out _);
        return Task.CompletedTask;
    }
}
