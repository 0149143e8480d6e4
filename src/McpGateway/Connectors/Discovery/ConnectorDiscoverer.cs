using System.Net;
using System.Text;
using McpGateway.Auth;
using McpGateway.Mcp.Upstream;
using Microsoft.Extensions.Options;

namespace McpGateway.Connectors.Discovery;

/// <summary>
/// The MCP authorization specification's discovery for one server: an unauthenticated initialize is answered 401,
/// whose <c>WWW-Authenticate</c> names the protected-resource metadata (else the RFC 9728 well-known addresses);
/// that metadata must name this server as its resource and an allowed authorization server, whose RFC 8414 /
/// OpenID metadata must name the same issuer and support PKCE S256.
/// </summary>
internal sealed class ConnectorDiscoverer(
    IHttpClientFactory httpClients,
    MetadataDocuments documents,
    IOptions<McpUpstreamOptions> upstream,
    IOptions<AuthOptions> auth)
{
    private const string ProbeBody = """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"McpGateway","version":"1.0"}}}""";

    public async Task<ConnectorDiscovery> DiscoverAsync(Connector connector, CancellationToken cancellationToken)
    {
        var challenge = await ProbeAsync(connector.Url, cancellationToken);
        var resource = await ReadProtectedResourceAsync(connector.Url, challenge, cancellationToken);
        if (!ResourceIdentifier.Matches(resource.Resource, connector.Url))
        {
            throw new ConnectorDiscoveryException(
                $"The protected-resource metadata names the resource '{resource.Resource}', not the server's URL {connector.Url} (RFC 9728 §3.3).");
        }

        var issuer = ChooseIssuer(resource.AuthorizationServers);
        var server = await ReadAuthorizationServerAsync(issuer, cancellationToken);
        return new ConnectorDiscovery(connector.Url, issuer, server, resource.ScopesSupported ?? [], challenge?.Scope);
    }

    private async Task<BearerChallenge?> ProbeAsync(Uri server, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server) { Content = new StringContent(ProbeBody, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        try
        {
            using var response = await httpClients.CreateClient(MetadataDocuments.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.StatusCode == HttpStatusCode.Unauthorized ? BearerChallenge.From(response.Headers.WwwAuthenticate) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ConnectorDiscoveryException($"The MCP server {server} could not be reached: {MetadataDocuments.Describe(ex)}.", ex);
        }
    }

    private async Task<ProtectedResourceMetadata> ReadProtectedResourceAsync(Uri server, BearerChallenge? challenge, CancellationToken cancellationToken)
    {
        IReadOnlyList<Uri> candidates;
        if (challenge?.ResourceMetadata is { } named)
        {
            if (!Uri.TryCreate(named, UriKind.Absolute, out var address) || !IsAllowedScheme(address))
            {
                throw new ConnectorDiscoveryException($"The server's WWW-Authenticate names resource_metadata '{named}', which is not an allowed absolute URL.");
            }

            candidates = [address];
        }
        else
        {
            candidates = WellKnownAddress.ProtectedResource(server);
        }

        foreach (var address in candidates)
        {
            RequireAllowedScheme(address, "protected-resource metadata");
            if (await documents.GetAsync(address, ConnectorsJsonContext.Default.ProtectedResourceMetadata, "protected-resource metadata", cancellationToken) is { } metadata)
            {
                return metadata;
            }
        }

        throw new ConnectorDiscoveryException($"The server {server} publishes no protected-resource metadata (tried {string.Join(", ", candidates)}).");
    }

    private Uri ChooseIssuer(IReadOnlyList<string>? servers)
    {
        var named = (servers ?? []).Select(value => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>().ToList();
        if (named.Count == 0)
        {
            throw new ConnectorDiscoveryException("The protected-resource metadata names no authorization_servers.");
        }

        var allowed = upstream.Value.AllowedIssuers;
        if (allowed.Count == 0)
        {
            return named[0];
        }

        return named.FirstOrDefault(issuer => allowed.Any(entry => Uri.TryCreate(entry, UriKind.Absolute, out var uri) && ResourceIdentifier.SameIssuer(issuer.AbsoluteUri, uri)))
            ?? throw new ConnectorDiscoveryException(
                $"The authorization server {string.Join(", ", named)} is not in Upstreams:Mcp:AllowedIssuers.");
    }

    private async Task<AuthorizationServerMetadata> ReadAuthorizationServerAsync(Uri issuer, CancellationToken cancellationToken)
    {
        RequireAllowedScheme(issuer, "authorization server");
        foreach (var address in WellKnownAddress.AuthorizationServer(issuer))
        {
            if (await documents.GetAsync(address, ConnectorsJsonContext.Default.AuthorizationServerMetadata, "authorization server metadata", cancellationToken) is not { } metadata)
            {
                continue;
            }

            if (!ResourceIdentifier.SameIssuer(metadata.Issuer, issuer))
            {
                throw new ConnectorDiscoveryException($"The metadata at {address} names the issuer '{metadata.Issuer}', not {issuer} (RFC 8414 §3.3).");
            }

            Validate(metadata, address);
            return metadata;
        }

        throw new ConnectorDiscoveryException($"The authorization server {issuer} publishes neither RFC 8414 nor OpenID Connect metadata.");
    }

    private void Validate(AuthorizationServerMetadata metadata, Uri address)
    {
        foreach (var (name, value) in new[] { ("authorization_endpoint", metadata.AuthorizationEndpoint), ("token_endpoint", metadata.TokenEndpoint) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || !IsAllowedScheme(endpoint))
            {
                throw new ConnectorDiscoveryException($"The metadata at {address} has no usable {name}.");
            }
        }

        if (metadata.CodeChallengeMethodsSupported?.Contains("S256", StringComparer.Ordinal) != true)
        {
            throw new ConnectorDiscoveryException($"The authorization server at {address} does not advertise PKCE S256 (code_challenge_methods_supported), which MCP requires.");
        }
    }

    private void RequireAllowedScheme(Uri address, string what)
    {
        if (!IsAllowedScheme(address))
        {
            throw new ConnectorDiscoveryException($"The {what} {address} is not https (plain http only with Auth:RequireHttpsMetadata=false).");
        }
    }

    private bool IsAllowedScheme(Uri address)
        => address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && !auth.Value.RequireHttpsMetadata);
}
