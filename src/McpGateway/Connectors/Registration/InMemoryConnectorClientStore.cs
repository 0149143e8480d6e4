using System.Collections.Concurrent;
using McpGateway.Auth.Registration;

namespace McpGateway.Connectors.Registration;

/// <summary>Connector clients of this process (single-instance mode).</summary>
internal sealed class InMemoryConnectorClientStore : IConnectorClientStore
{
    private readonly ConcurrentDictionary<string, StoredRegistration> _clients = new(StringComparer.Ordinal);

    public Task<StoredRegistration?> GetAsync(string issuer, CancellationToken cancellationToken)
        => Task.FromResult(_clients.GetValueOrDefault(issuer));

    public Task SaveAsync(StoredRegistration registration, CancellationToken cancellationToken)
    {
        _clients[registration.Current.Issuer] = registration;
        return Task.CompletedTask;
    }
}
