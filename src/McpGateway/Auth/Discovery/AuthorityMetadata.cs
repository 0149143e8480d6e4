using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Auth.Discovery;

/// <summary>
/// The authorization server's metadata, read once and cached, shared by the registration coordinator,
/// the token service, the logout validator and the OpenID Connect handler (as its configuration manager).
/// </summary>
/// <remarks>
/// IdentityModel's own <c>ConfigurationManager</c> answers a refresh request in the background and keeps
/// handing out the cached metadata meanwhile, so an ID token signed with a freshly rotated key fails
/// although the token handler asks for a refresh and validates again. Here a requested refresh is
/// awaited by the next reader, at most once per <see cref="MinimumForcedRefreshInterval"/>: the token
/// handler's own retry then sees the new keys.
/// </remarks>
internal sealed class AuthorityMetadata : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>, IDisposable
{
    public const string HttpClientName = "authority";

    /// <summary>However many tokens name an unknown key, the metadata is re-read at most this often.</summary>
    internal static readonly TimeSpan MinimumForcedRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly string _address;
    private readonly FallbackMetadataRetriever _retriever;
    private readonly HttpDocumentRetriever _documents;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _read = new(1, 1);
    private volatile Snapshot? _snapshot;
    private volatile bool _refreshRequested;
    private DateTimeOffset? _lastForcedRefresh;

    public AuthorityMetadata(IOptions<AuthOptions> options, IHttpClientFactory httpClients, TimeProvider? time = null)
    {
        var authority = options.Value.AuthorityUri;
        _time = time ?? TimeProvider.System;
        _address = FallbackMetadataRetriever.OpenIdAddress(authority);
        _retriever = new FallbackMetadataRetriever(authority);
        _documents = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = options.Value.RequireHttpsMetadata };
        MetadataAddress = _address;
    }

    /// <summary>The cached metadata; read when there is none, when it is older than <see cref="BaseConfigurationManager.AutomaticRefreshInterval"/>, or after <see cref="RequestRefresh"/>.</summary>
    public async Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } cached && !NeedsRead(cached, _time.GetUtcNow()))
        {
            return cached.Configuration;
        }

        await _read.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            var current = _snapshot;
            if (current is not null && !NeedsRead(current, now))
            {
                return current.Configuration;
            }

            if (_refreshRequested && ForcedRefreshAllowed(now))
            {
                _refreshRequested = false;
                _lastForcedRefresh = now;
            }

            return await ReadAsync(current, now, cancellationToken);
        }
        finally
        {
            _read.Release();
        }
    }

    /// <summary>
    /// Reads the metadata now (a token names a signing key the cached metadata lacks: the provider
    /// rotated its keys), at most once per 30 seconds; otherwise the cached metadata.
    /// </summary>
    public Task<OpenIdConnectConfiguration> RefreshAsync(CancellationToken cancellationToken)
    {
        RequestRefresh();
        return GetAsync(cancellationToken);
    }

    /// <summary>The next reader re-reads the metadata (and waits for it), unless that happened less than 30 seconds ago.</summary>
    public override void RequestRefresh() => _refreshRequested = true;

    public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) => GetAsync(cancel);

    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) => await GetAsync(cancel);

    public void Dispose() => _read.Dispose();

    private bool NeedsRead(Snapshot snapshot, DateTimeOffset now)
        => now >= snapshot.NextRead || (_refreshRequested && ForcedRefreshAllowed(now));

    private bool ForcedRefreshAllowed(DateTimeOffset now)
        => _lastForcedRefresh is not { } last || now - last >= MinimumForcedRefreshInterval;

    private async Task<OpenIdConnectConfiguration> ReadAsync(Snapshot? current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = await _retriever.GetConfigurationAsync(_address, _documents, cancellationToken);
            _snapshot = new Snapshot(configuration, now + AutomaticRefreshInterval);
            return configuration;
        }
        catch (Exception) when (current is not null && !cancellationToken.IsCancellationRequested)
        {
            // Stale metadata is better than none; the next reader tries again a little later.
            _snapshot = current with { NextRead = now + MinimumForcedRefreshInterval };
            return current.Configuration;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"The authorization server's metadata could not be read from {_address}: {ex.Message}", ex);
        }
    }

    private sealed record Snapshot(OpenIdConnectConfiguration Configuration, DateTimeOffset NextRead);
}
