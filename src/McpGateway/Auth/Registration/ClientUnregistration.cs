using McpGateway.Auth.Discovery;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth.Registration;

/// <summary>
/// The <c>unregister</c> command: deletes the gateway's registrations at the authorization server
/// (RFC 7592 DELETE) and the stored copy, e.g. when a deployment is retired.
/// </summary>
internal sealed class ClientUnregistration(
    AuthorityMetadata metadata,
    IClientRegistrationStore store,
    DynamicClientRegistrar registrar,
    IOptions<AuthOptions> auth)
{
    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        if (!auth.Value.UsesDynamicRegistration)
        {
            await output.WriteLineAsync($"Auth:ClientId is set: client {auth.Value.ClientId} is preconfigured, not registered by the gateway; nothing to unregister.");
            return 0;
        }

        var issuer = (await metadata.GetAsync(cancellationToken)).Issuer;
        var stored = await store.GetAsync(issuer, cancellationToken);
        if (stored is null)
        {
            await output.WriteLineAsync($"No registration is stored for {issuer}; nothing to unregister.");
            return 0;
        }

        foreach (var client in new[] { stored.Current, stored.Previous }.OfType<ClientRegistration>())
        {
            if (!client.IsManageable)
            {
                await output.WriteLineAsync($"Client {client.ClientId} has no registration management URI; forgetting it without deleting it at {issuer}.");
                continue;
            }

            var deleted = await registrar.DeleteAsync(client, cancellationToken);
            await output.WriteLineAsync(deleted
                ? $"Deleted client {client.ClientId} at {issuer} (RFC 7592)."
                : $"Client {client.ClientId} was already gone at {issuer}.");
        }

        await store.DeleteAsync(issuer, cancellationToken);
        await output.WriteLineAsync($"Deleted the stored registration for {issuer}. The next start registers a new client.");
        return 0;
    }
}
