using System.Collections.Concurrent;
using System.Net.Http.Json;
using McpGateway.Auth.Registration;
using McpGateway.Connectors.Discovery;
using McpGateway.Storage;

namespace McpGateway.Connectors.Registration;

/// <summary>
/// The gateway's client at a connector's authorization server, in the MCP specification's order: the configured
/// <c>ClientId</c>; else the Client ID Metadata Document when the server supports it and the origin is https; else
/// one Dynamic Client Registration per issuer across all replicas (a distributed lock, the result kept encrypted in
/// Redis). Never one per user.
/// </summary>
internal sealed class ConnectorClients(
    ConnectorClientDocument document,
    IConnectorClientStore store,
    DynamicClientRegistrar registrar,
    IGatewayLocks locks,
    ILogger<ConnectorClients> logger)
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, ClientRegistration> _known = new(StringComparer.Ordinal);

    public async Task<ClientRegistration> GetAsync(Connector connector, ConnectorDiscovery discovery, CancellationToken cancellationToken)
    {
        var issuer = discovery.Issuer.AbsoluteUri;
        if (!string.IsNullOrEmpty(connector.ClientId))
        {
            return Configured(connector, issuer);
        }

        if (discovery.AuthorizationServer.ClientIdMetadataDocumentSupported && document.IsServable)
        {
            return _known.GetOrAdd("cimd:" + issuer, _ =>
            {
                ConnectorsLog.ClientMetadataDocument(logger, document.DocumentUrl, issuer);
                return new ClientRegistration { Issuer = issuer, ClientId = document.DocumentUrl, TokenEndpointAuthMethod = ConnectorClientAuthMethods.None, Preconfigured = true };
            });
        }

        if (discovery.AuthorizationServer.RegistrationEndpoint is not { Length: > 0 } endpoint)
        {
            throw new ConnectorDiscoveryException(
                $"The authorization server {issuer} offers neither client ID metadata documents (with an https Gateway:PublicOrigin) nor dynamic registration; configure Upstreams:Mcp:Servers:{connector.Name}:ClientId.");
        }

        var metadata = document.Metadata(ConnectorClientAuthMethods.ForRegistration(discovery.AuthorizationServer.TokenEndpointAuthMethodsSupported));
        var digest = metadata.Digest();
        if (_known.TryGetValue(issuer, out var known) && known.MetadataDigest == digest)
        {
            return known;
        }

        return _known[issuer] = await RegisterOnceAsync(issuer, endpoint, metadata, digest, cancellationToken);
    }

    /// <summary>The authorization server refused the client (invalid_client): the next caller registers again.</summary>
    public void Forget(ClientRegistration client) => _known.TryRemove(new KeyValuePair<string, ClientRegistration>(client.Issuer, client));

    private async Task<ClientRegistration> RegisterOnceAsync(string issuer, string endpoint, ConnectorClientMetadata metadata, string digest, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(issuer, cancellationToken) is { } stored && stored.Current.MetadataDigest == digest)
        {
            return stored.Current;
        }

        await using var held = await locks.TryAcquireAsync("connector-dcr:" + issuer, LockTimeout, cancellationToken)
            ?? throw new ConnectorDiscoveryException($"The connector registration lock for {issuer} stayed taken for {LockTimeout.TotalSeconds:F0} s.");

        // Another replica may have registered while this one waited for the lock.
        if (await store.GetAsync(issuer, cancellationToken) is { } again && again.Current.MetadataDigest == digest)
        {
            return again.Current;
        }

        ClientRegistration registration;
        try
        {
            var response = await registrar.RegisterAsync(endpoint, JsonContent.Create(metadata, ConnectorsJsonContext.Default.ConnectorClientMetadata), null, cancellationToken);
            registration = response.ToRegistration(issuer, digest) with { TokenEndpointAuthMethod = response.TokenEndpointAuthMethod ?? metadata.TokenEndpointAuthMethod };
        }
        catch (Exception ex) when (ex is ClientRegistrationException or HttpRequestException or IOException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ConnectorDiscoveryException($"Registering at {issuer} failed: {MetadataDocuments.Describe(ex)}", ex);
        }

        await store.SaveAsync(new StoredRegistration(registration, null), cancellationToken);
        ConnectorsLog.ClientRegistered(logger, registration.ClientId, issuer);
        return registration;
    }

    private ClientRegistration Configured(Connector connector, string issuer)
        => _known.GetOrAdd("configured:" + connector.Name + ":" + issuer, _ =>
        {
            ConnectorsLog.ClientConfigured(logger, connector.ClientId, issuer);
            return new ClientRegistration
            {
                Issuer = issuer,
                ClientId = connector.ClientId,
                ClientSecret = string.IsNullOrEmpty(connector.ClientSecret) ? null : connector.ClientSecret,
                TokenEndpointAuthMethod = string.IsNullOrEmpty(connector.ClientSecret) ? ConnectorClientAuthMethods.None : ConnectorClientAuthMethods.SecretPost,
                Preconfigured = true,
            };
        });
}
