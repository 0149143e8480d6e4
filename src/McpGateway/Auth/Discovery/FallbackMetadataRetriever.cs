using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Discovery;

/// <summary>
/// Reads <c>/.well-known/openid-configuration</c> and, when the server has none, the RFC 8414
/// <c>/.well-known/oauth-authorization-server</c> document; insists that the issuer is the configured one.
/// </summary>
internal sealed class FallbackMetadataRetriever(Uri authority) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public static string OpenIdAddress(Uri authority) => authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration";

    /// <summary>RFC 8414 §3: the well-known segment goes between the host and the issuer's path.</summary>
    public static string OAuthAddress(Uri authority)
        => authority.GetLeftPart(UriPartial.Authority) + "/.well-known/oauth-authorization-server" + authority.AbsolutePath.TrimEnd('/');

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel);
        }
        catch (IOException) when (!cancel.IsCancellationRequested)
        {
            configuration = await OpenIdConnectConfigurationRetriever.GetAsync(OAuthAddress(authority), retriever, cancel);
        }

        if (!IsSameIssuer(configuration.Issuer, authority))
        {
            throw new InvalidOperationException(
                $"The authorization server's metadata names the issuer '{configuration.Issuer}', not the configured Auth:Authority '{authority}'.");
        }

        return configuration;
    }

    private static bool IsSameIssuer(string? issuer, Uri authority)
        => issuer is not null && string.Equals(issuer.TrimEnd('/'), authority.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);
}
