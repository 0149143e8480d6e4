using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Discovery;

/// <summary>
/// The authorization server's metadata, read once and cached (refreshed as IdentityModel decides);
/// shared by the registration coordinator and the OpenID Connect handler.
/// </summary>
internal sealed class AuthorityMetadata
{
    public const string HttpClientName = "authority";

    public AuthorityMetadata(IOptions<AuthOptions> options, IHttpClientFactory httpClients)
    {
        var authority = options.Value.AuthorityUri;
        var documents = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = options.Value.RequireHttpsMetadata };
        ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
            FallbackMetadataRetriever.OpenIdAddress(authority), new FallbackMetadataRetriever(authority), documents);
    }

    public ConfigurationManager<OpenIdConnectConfiguration> ConfigurationManager { get; }

    public Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken) => ConfigurationManager.GetConfigurationAsync(cancellationToken);
}
