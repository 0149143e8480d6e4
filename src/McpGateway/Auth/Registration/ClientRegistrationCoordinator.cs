using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Discovery;
using McpGateway.Auth.Oidc;
using McpGateway.Hosting;
using McpGateway.Storage;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Registration;

/// <summary>
/// Keeps this replica registered: reads the authorization server's metadata, then adopts the stored
/// registration or registers once across all replicas (under a distributed lock), and afterwards
/// watches for a configuration change, an expiring secret or an <c>invalid_client</c> answer.
/// Failures are retried with capped exponential backoff; readiness reports them meanwhile.
/// </summary>
internal sealed class ClientRegistrationCoordinator(
    AuthorityMetadata metadata,
    IClientRegistrationStore store,
    DynamicClientRegistrar registrar,
    IGatewayLocks locks,
    ClientRegistrationState state,
    IOptions<AuthOptions> auth,
    IOptions<GatewayOptions> gateway,
    IOptionsMonitorCache<OpenIdConnectOptions> oidcOptions,
    TimeProvider time,
    ILogger<ClientRegistrationCoordinator> logger) : BackgroundService
{
    /// <summary>How often a replica re-reads the shared registration, to adopt another replica's change.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The stored client this process has confirmed still exists (RFC 7592 read) since it started.</summary>
    private string? _confirmedClientId;
    private bool _pkceChecked;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        string? invalidClientId = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var configuration = await ReadMetadataAsync(stoppingToken);
                var registration = await EnsureRegisteredAsync(configuration, invalidClientId, stoppingToken);
                Publish(registration);
                failures = 0;
                invalidClientId = await state.WaitForRecheckAsync(NextCheck(registration.Current), time, stoppingToken);
                if (invalidClientId is not null)
                {
                    AuthLog.InvalidClientReported(logger, invalidClientId);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                failures++;
                var delay = Backoff(failures, auth.Value.RegistrationRetryMaxDelay);
                state.RegistrationFailed(Describe(ex));
                AuthLog.RegistrationAttemptFailed(logger, failures, delay, Describe(ex));
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>1, 2, 4, 8 … seconds up to <paramref name="max"/>, with up to 20 % jitter so replicas spread out.</summary>
    internal static TimeSpan Backoff(int failures, TimeSpan max)
    {
        var seconds = Math.Min(max.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 16)));
        return TimeSpan.FromSeconds(seconds * (1 + (Random.Shared.NextDouble() * 0.2)));
    }

    private async Task<OpenIdConnectConfiguration> ReadMetadataAsync(CancellationToken cancellationToken)
    {
        try
        {
            var configuration = await metadata.GetAsync(cancellationToken);
            state.AuthorityAvailable();
            if (!_pkceChecked)
            {
                _pkceChecked = true;
                if (!PkceSupport.IsAdvertised(configuration))
                {
                    AuthLog.PkceNotAdvertised(logger, configuration.Issuer);
                }
            }

            return configuration;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            state.AuthorityUnavailable($"The authorization server's metadata could not be read from {auth.Value.Authority}: {Describe(ex)}");
            throw;
        }
    }

    private async Task<StoredRegistration> EnsureRegisteredAsync(
        OpenIdConnectConfiguration configuration, string? invalidClientId, CancellationToken cancellationToken)
    {
        var options = auth.Value;
        if (!options.UsesDynamicRegistration)
        {
            return new StoredRegistration(new ClientRegistration
            {
                Issuer = configuration.Issuer,
                ClientId = options.ClientId!,
                ClientSecret = options.ClientSecret,
                GrantTypes = ["authorization_code", "refresh_token"],
                Preconfigured = true,
            }, null);
        }

        var authentication = ClientAuthChoice.For(options.TokenEndpointAuthMethod, configuration);
        var desired = ClientRegistrationRequest.For(options, gateway.Value, authentication);
        var digest = desired.Digest();
        var stored = await store.GetAsync(configuration.Issuer, cancellationToken);
        if (IsUsable(stored, digest, invalidClientId))
        {
            if (await StillExistsAsync(stored!.Current, cancellationToken))
            {
                return stored;
            }

            // The authorization server forgot the client (its database was reset): replace it.
            invalidClientId = stored.Current.ClientId;
        }

        await using var held = await locks.TryAcquireAsync("dcr:" + configuration.Issuer, LockTimeout, cancellationToken)
            ?? throw new TimeoutException($"The registration lock stayed taken for {LockTimeout.TotalSeconds:F0} s (another replica is registering).");

        // Another replica may have registered while this one waited for the lock.
        stored = await store.GetAsync(configuration.Issuer, cancellationToken);
        if (IsUsable(stored, digest, invalidClientId))
        {
            return stored!;
        }

        var replacement = await ReplaceAsync(configuration, stored?.Current, desired, digest, invalidClientId, cancellationToken);
        var previous = replacement.ClientId == stored?.Current.ClientId ? stored.Previous : stored?.Current;
        var saved = new StoredRegistration(replacement, previous);
        await store.SaveAsync(saved, cancellationToken);
        _confirmedClientId = replacement.ClientId;
        return saved;
    }

    /// <summary>
    /// A stored registration is confirmed once per process, so that a gateway started against an
    /// authorization server that lost its clients registers again instead of failing every sign-in.
    /// </summary>
    private async Task<bool> StillExistsAsync(ClientRegistration client, CancellationToken cancellationToken)
    {
        if (!client.IsManageable || _confirmedClientId == client.ClientId)
        {
            return true;
        }

        if (await registrar.ReadAsync(client, cancellationToken) is null)
        {
            AuthLog.ClientGone(logger, client.ClientId);
            return false;
        }

        _confirmedClientId = client.ClientId;
        return true;
    }

    private bool IsUsable(StoredRegistration? stored, string digest, string? invalidClientId)
        => stored is not null
           && stored.Current.MetadataDigest == digest
           && stored.Current.ClientId != invalidClientId
           && !stored.Current.NeedsRenewal(time.GetUtcNow());

    private async Task<ClientRegistration> ReplaceAsync(
        OpenIdConnectConfiguration configuration,
        ClientRegistration? current,
        ClientRegistrationRequest desired,
        string digest,
        string? invalidClientId,
        CancellationToken cancellationToken)
    {
        var issuer = configuration.Issuer;
        if (current is { IsManageable: true })
        {
            if (current.MetadataDigest != digest)
            {
                // The key belongs to the registration: kept while its algorithm is still the one asked for.
                var key = desired.TokenEndpointAuthSigningAlg is not { } algorithm ? null
                    : current.SigningKey?.Algorithm == algorithm ? current.SigningKey : ClientSigningKey.Generate(algorithm);
                var updated = await registrar.UpdateAsync(current, desired with { Jwks = key?.PublicKeySet() }, cancellationToken);
                if (updated is not null)
                {
                    AuthLog.ClientUpdated(logger, current.ClientId);
                    return updated.ToRegistration(issuer, digest, current, key);
                }
            }
            else
            {
                var read = await registrar.ReadAsync(current, cancellationToken);
                var renewed = read?.ToRegistration(issuer, digest, current);
                var refusedSameSecret = invalidClientId == current.ClientId && renewed?.ClientSecret == current.ClientSecret;
                if (renewed is not null && !refusedSameSecret && !renewed.NeedsRenewal(time.GetUtcNow()))
                {
                    AuthLog.ClientRead(logger, current.ClientId);
                    return renewed;
                }
            }

            AuthLog.ClientReplaced(logger, current.ClientId);
        }

        var endpoint = configuration.RegistrationEndpoint;
        if (string.IsNullOrEmpty(endpoint))
        {
            throw new ClientRegistrationException(
                "The authorization server's metadata has no registration_endpoint: it does not offer Dynamic Client Registration. Register the gateway by hand and set Auth:ClientId and Auth:ClientSecret.");
        }

        // A new registration, a new key (RFC 7591 §2 jwks): never one shared with a replaced client.
        var signingKey = desired.TokenEndpointAuthSigningAlg is { } alg ? ClientSigningKey.Generate(alg) : null;
        var response = await registrar.RegisterAsync(endpoint, desired with { Jwks = signingKey?.PublicKeySet() }, auth.Value.InitialAccessToken, cancellationToken);
        var registration = response.ToRegistration(issuer, digest, signingKey: signingKey);
        AuthLog.ClientRegistered(logger, registration.ClientId, issuer);
        return registration;
    }

    private void Publish(StoredRegistration registration)
    {
        var changed = state.Current?.ClientId != registration.Current.ClientId
                      || state.Current?.ClientSecret != registration.Current.ClientSecret
                      || state.Current?.SigningKey?.KeyId != registration.Current.SigningKey?.KeyId;
        state.Publish(registration);
        if (changed)
        {
            // The OpenID Connect options are rebuilt with the new client on their next use.
            oidcOptions.TryRemove(OidcSetup.Scheme);
            AuthLog.ClientInUse(logger, registration.Current.ClientId, registration.Current.Preconfigured);
            AuthLog.ClientAuthentication(logger, registration.Current.ClientId, registration.Current.UsesPrivateKey
                ? $"{ClientAuthMethods.PrivateKeyJwt} ({registration.Current.SigningKey!.Algorithm}, kid {registration.Current.SigningKey.KeyId})"
                : ClientAuthMethods.ClientSecretPost);
        }
    }

    private TimeSpan NextCheck(ClientRegistration registration)
    {
        if (registration.ClientSecretExpiresAt is not { } expires)
        {
            return PollInterval;
        }

        var untilRenewal = expires - registration.RenewalMargin - time.GetUtcNow();
        return untilRenewal < TimeSpan.Zero ? TimeSpan.Zero : untilRenewal < PollInterval ? untilRenewal : PollInterval;
    }

    private static string Describe(Exception exception) => exception switch
    {
        ClientRegistrationException => exception.Message,
        TimeoutException => exception.Message,
        TaskCanceledException => "the authorization server did not answer in time",
        InvalidOperationException { InnerException: IOException io } => io.InnerException?.Message ?? io.Message,
        _ => exception.Message,
    };
}
