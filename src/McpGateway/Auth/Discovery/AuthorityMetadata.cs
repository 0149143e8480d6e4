using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Discovery;

/// <summary>
/// The authorization server's metadata, read once and cached (refreshed as IdentityModel decides);
/// shared by the registration coordinator and the OpenID Connect handler.
/// </summary>
internal sealed class AuthorityMetadata : IDisposable
{
    public const string HttpClientName = "authority";

    /// <summary>However many tokens name an unknown key, the metadata is re-read at most this often.</summary>
    private static readonly TimeSpan MinimumForcedRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly string _address;
    private readonly FallbackMetadataRetriever _retriever;
    private readonly HttpDocumentRetriever _documents;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _forcedRefresh = new(1, 1);
    private DateTimeOffset? _lastForcedRefresh;

    public AuthorityMetadata(IOptions<AuthOptions> options, IHttpClientFactory httpClients, TimeProvider? time = null)
    {
        var authority = options.Value.AuthorityUri;
        _time = time ?? TimeProvider.System;
        _address = FallbackMetadataRetriever.OpenIdAddress(authority);
        _retriever = new FallbackMetadataRetriever(authority);
        _documents = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = options.Value.RequireHttpsMetadata };
        ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(_address, _retriever, _documents);
    }

    public ConfigurationManager<OpenIdConnectConfiguration> ConfigurationManager { get; }

    public Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken) => ConfigurationManager.GetConfigurationAsync(cancellationToken);

    /// <summary>
    /// Reads the metadata now (a token names a signing key the cached metadata lacks: the provider
    /// rotated its keys), at most once per 30 seconds; the cache is told to catch up.
    /// </summary>
    public async Task<OpenIdConnectConfiguration> RefreshAsync(CancellationToken cancellationToken)
    {
        await _forcedRefresh.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            if (_lastForcedRefresh is { } last && now - last < MinimumForcedRefreshInterval)
            {
                return await GetAsync(cancellationToken);
            }

            _lastForcedRefresh = now;
            var fresh = await _retriever.GetConfigurationAsync(_address, _documents, cancellationToken);
            ConfigurationManager.RequestRefresh();
            return fresh;
        }
        finally
        {
            _forcedRefresh.Release();
        }
    }

    public void Dispose() => _forcedRefresh.Dispose();
}
