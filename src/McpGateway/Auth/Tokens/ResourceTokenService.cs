using System.Collections.Concurrent;
using McpGateway.Auth.Registration;
using McpGateway.Sessions;
using McpGateway.Storage;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth.Tokens;

/// <summary>
/// A session's access token for one RFC 8707 resource (a session-mode connector's URL, see
/// <see cref="Resources.SessionResources"/>): obtained from the sign-in authorization server with the refresh_token grant
/// and <c>resource</c> (§2.2), kept encrypted in the session beside the sign-in tokens, refreshed before it expires.
/// The refresh token is the sign-in one and providers rotate it on every use, so every refresh of a session — its own
/// and those of its resources — runs under the one distributed lock of <see cref="SessionTokenService"/>, and a rotated
/// refresh token is stored back into the sign-in token set before anything else. Without a refresh token the sign-in
/// access token is used, with one warning per session.
/// </summary>
internal sealed class ResourceTokenService(
    ISessionRepository repository,
    ISessionConnectorTokens store,
    SessionProtector protector,
    SessionTokenService signInTokens,
    TokenEndpointClient tokenEndpoint,
    ClientRegistrationState registrations,
    SessionTerminator terminator,
    IGatewayLocks locks,
    IOptions<AuthOptions> auth,
    TimeProvider time,
    ILogger<ResourceTokenService> logger,
    SessionCache? cache = null)
{
    /// <summary>Where the session keeps the marker that its fallback was logged (so once per session, across replicas).</summary>
    private const string FallbackMarker = "resource-fallback";

    private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Session, string Resource), Lazy<Task<AccessTokenResult>>> _refreshes = new();

    /// <summary>The session's token for <paramref name="resource"/>, obtained or refreshed first when needed.</summary>
    public async Task<AccessTokenResult> GetAccessTokenAsync(SessionId session, string resource, CancellationToken cancellationToken)
    {
        if (await LoadAsync(session, resource, cancellationToken) is { } tokens && IsFresh(tokens))
        {
            return AccessTokenResult.Ok(tokens);
        }

        return await RefreshOnceAsync(session, resource, rejected: null, cancellationToken);
    }

    /// <summary>The resource server refused <paramref name="rejectedAccessToken"/> (401): a new one, unless another caller already replaced it.</summary>
    public Task<AccessTokenResult> ReplaceRejectedAsync(SessionId session, string resource, string rejectedAccessToken, CancellationToken cancellationToken)
        => RefreshOnceAsync(session, resource, rejectedAccessToken, cancellationToken);

    public bool IsFresh(SessionTokens tokens) => !tokens.ExpiresWithin(auth.Value.RefreshMargin, time.GetUtcNow());

    /// <summary>The field of the session's connector-token hash that holds the token of <paramref name="resource"/>.</summary>
    internal static string FieldOf(string resource) => "resource:" + resource;

    private async Task<AccessTokenResult> RefreshOnceAsync(SessionId session, string resource, string? rejected, CancellationToken cancellationToken)
    {
        // Without a refresh token there is nothing to exchange: the sign-in token (refreshed or ended by its own service).
        var signIn = await LoadSignInAsync(session, cancellationToken);
        if (signIn is null)
        {
            return AccessTokenResult.Expired("the session no longer exists");
        }

        if (signIn.RefreshToken is null)
        {
            await WarnFallbackOnceAsync(session, resource, cancellationToken);
            return rejected is null
                ? await signInTokens.GetAccessTokenAsync(session, cancellationToken)
                : await signInTokens.ReplaceRejectedAsync(session, rejected, cancellationToken);
        }

        var key = (session.StorageKey, resource);
        return await _refreshes.GetOrAdd(key, _ => new Lazy<Task<AccessTokenResult>>(() => RefreshThenForgetAsync(session, resource, rejected)))
            .Value.WaitAsync(cancellationToken);
    }

    private async Task<AccessTokenResult> RefreshThenForgetAsync(SessionId session, string resource, string? rejected)
    {
        try
        {
            return await RefreshAsync(session, resource, rejected);
        }
        finally
        {
            _refreshes.TryRemove((session.StorageKey, resource), out _);
        }
    }

    private async Task<AccessTokenResult> RefreshAsync(SessionId session, string resource, string? rejected)
    {
        // Shared by every waiting caller, so it is not cancelled by any one of them.
        using var timeout = new CancellationTokenSource(RefreshTimeout, time);
        var cancellationToken = timeout.Token;
        await using var held = await locks.TryAcquireAsync(SessionTokenService.RefreshLockName(session), RefreshTimeout, cancellationToken);
        if (held is null)
        {
            return AccessTokenResult.Unavailable("another refresh of the session did not finish in time");
        }

        // Re-read under the lock: another replica may have obtained the token, or rotated the refresh token, meanwhile.
        var current = await LoadAsync(session, resource, cancellationToken);
        if (current is not null && IsFresh(current) && current.AccessToken != rejected)
        {
            return AccessTokenResult.Ok(current);
        }

        var signIn = await LoadSignInAsync(session, cancellationToken);
        if (signIn?.RefreshToken is null)
        {
            return signIn is null ? AccessTokenResult.Expired("the session no longer exists") : AccessTokenResult.Unavailable("the session has no refresh token");
        }

        if (registrations.Registration?.Find(signIn.ClientId) is not { } client)
        {
            return KeepIfValid(current, "the client the session signed in with is not registered here");
        }

        var outcome = await tokenEndpoint.RefreshAsync(client, signIn.RefreshToken, cancellationToken, resource, signIn.DpopKey);
        switch (outcome.Kind)
        {
            case RefreshOutcomeKind.Refreshed:
                var response = outcome.Tokens!;
                if (response.RefreshToken is { } rotated && rotated != signIn.RefreshToken)
                {
                    var updated = signIn with { RefreshToken = rotated };
                    if (!await repository.UpdateTokensAsync(session.StorageKey, protector.Protect(updated), cancellationToken))
                    {
                        return AccessTokenResult.Expired("the session ended during the refresh");
                    }

                    cache?.UpdateTokens(session.StorageKey, updated);
                }

                var tokens = new SessionTokens
                {
                    AccessToken = response.AccessToken!,
                    AccessTokenExpiresAt = time.GetUtcNow() + TimeSpan.FromSeconds(response.ExpiresIn ?? 3600),
                    ClientId = signIn.ClientId,
                    TokenType = response.TokenType,
                    DpopKey = signIn.DpopKey,
                };
                if (!await store.SetConnectorTokensAsync(session.StorageKey, FieldOf(resource), protector.Protect(tokens), cancellationToken))
                {
                    return AccessTokenResult.Expired("the session ended during the refresh");
                }

                AuthLog.ResourceTokenRefreshed(logger, session, resource, tokens.AccessTokenExpiresAt);
                return AccessTokenResult.Ok(tokens);

            case RefreshOutcomeKind.Refused:
                // invalid_grant: the session's one refresh token is dead, for the sign-in token as well.
                AuthLog.RefreshRefused(logger, session, outcome.Detail ?? "invalid_grant");
                await terminator.EndAsync(session, "refresh refused", cancellationToken);
                return AccessTokenResult.Expired("the authorization server refused to refresh it");

            default:
                // Among them invalid_target: a server configured after the user signed in (the grant lacks its resource).
                AuthLog.ResourceTokenUnavailable(logger, session, resource, outcome.Detail ?? outcome.Kind.ToString());
                return KeepIfValid(current, "the authorization server gave no token for " + resource + " (" + (outcome.Detail ?? outcome.Kind.ToString()) + "); signing in again may help");
        }
    }

    private AccessTokenResult KeepIfValid(SessionTokens? tokens, string reason)
        => tokens is not null && tokens.AccessTokenExpiresAt > time.GetUtcNow() ? AccessTokenResult.Ok(tokens) : AccessTokenResult.Unavailable(reason);

    private async Task WarnFallbackOnceAsync(SessionId session, string resource, CancellationToken cancellationToken)
    {
        if (await store.GetConnectorTokensAsync(session.StorageKey, FallbackMarker, cancellationToken) is null
            && await store.SetConnectorTokensAsync(session.StorageKey, FallbackMarker, [1], cancellationToken))
        {
            AuthLog.ResourceTokenFallback(logger, session, resource);
        }
    }

    private async Task<SessionTokens?> LoadAsync(SessionId session, string resource, CancellationToken cancellationToken)
    {
        var data = await store.GetConnectorTokensAsync(session.StorageKey, FieldOf(resource), cancellationToken);
        return data is null ? null : protector.UnprotectTokens(data);
    }

    private async Task<SessionTokens?> LoadSignInAsync(SessionId session, CancellationToken cancellationToken)
    {
        var data = await repository.GetTokensAsync(session.StorageKey, cancellationToken);
        return data is null ? null : protector.UnprotectTokens(data);
    }
}
