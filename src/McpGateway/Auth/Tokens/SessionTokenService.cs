using System.Collections.Concurrent;
using McpGateway.Auth.Registration;
using McpGateway.Hosting.Telemetry;
using McpGateway.Sessions;
using McpGateway.Storage;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth.Tokens;

/// <summary>
/// The one place that hands out a session's access token, refreshed first when it expires within
/// <see cref="AuthOptions.RefreshMargin"/>. A refresh is single-flight per session: concurrent callers
/// in this process share one task, and a distributed lock makes it one across replicas (the token
/// set is re-read under the lock, so a replica that lost the race uses the winner's tokens).
/// </summary>
internal sealed class SessionTokenService(
    ISessionRepository repository,
    SessionProtector protector,
    TokenEndpointClient tokenEndpoint,
    ClientRegistrationState registrations,
    SessionTerminator terminator,
    IGatewayLocks locks,
    IOptions<AuthOptions> auth,
    TimeProvider time,
    ILogger<SessionTokenService> logger,
    GatewayTelemetry? telemetry = null,
    SessionCache? cache = null)
{
    private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Lazy<Task<AccessTokenResult>>> _refreshes = new(StringComparer.Ordinal);

    /// <summary>The token of the current request's session; read from the store only when it must be refreshed.</summary>
    public async Task<AccessTokenResult> GetAccessTokenAsync(HttpContext context)
    {
        if (ActiveSession.Of(context) is not { } session)
        {
            return AccessTokenResult.Expired("no session");
        }

        if (!NeedsRefresh(session.Tokens))
        {
            return AccessTokenResult.Ok(session.Tokens);
        }

        var result = await RefreshOnceAsync(session.Id).WaitAsync(context.RequestAborted);
        if (result.Tokens is not null)
        {
            session.Tokens = result.Tokens;
        }

        return result;
    }

    /// <summary>The token of any session by id, e.g. for a long-lived WebSocket whose request has no fresh ticket.</summary>
    public async Task<AccessTokenResult> GetAccessTokenAsync(SessionId session, CancellationToken cancellationToken)
    {
        // A socket asks for every upstream request: recently read, still-fresh tokens need no Redis read.
        if (cache?.TryGetTokens(session.StorageKey) is { } cached && !NeedsRefresh(cached))
        {
            return AccessTokenResult.Ok(cached);
        }

        var tokens = await LoadAsync(session, cancellationToken);
        if (tokens is null)
        {
            return AccessTokenResult.Expired("the session no longer exists");
        }

        return NeedsRefresh(tokens) ? await RefreshOnceAsync(session).WaitAsync(cancellationToken) : AccessTokenResult.Ok(tokens);
    }

    /// <summary>
    /// A resource server refused <paramref name="rejectedAccessToken"/> (401) before its expiry, e.g. because its
    /// clock runs ahead or the token was revoked alone: refresh it now, single-flight, unless another caller
    /// already replaced it (then that replacement is answered).
    /// </summary>
    public async Task<AccessTokenResult> ReplaceRejectedAsync(SessionId session, string rejectedAccessToken, CancellationToken cancellationToken)
        => await _refreshes.GetOrAdd(session.StorageKey, _ => new Lazy<Task<AccessTokenResult>>(() => RefreshThenForgetAsync(session, rejectedAccessToken)))
            .Value.WaitAsync(cancellationToken);

    /// <summary>The session's current token set as stored, without refreshing it.</summary>
    public Task<SessionTokens?> ReadAsync(SessionId session, CancellationToken cancellationToken) => LoadAsync(session, cancellationToken);

    /// <summary>The distributed lock every refresh of <paramref name="session"/> holds (its own and those of its RFC 8707 resources: they share one refresh token).</summary>
    internal static string RefreshLockName(SessionId session) => "refresh:" + session.StorageKey;

    /// <summary>Whether a token set can be used as it is, i.e. does not expire within the refresh margin.</summary>
    public bool IsFresh(SessionTokens tokens) => !NeedsRefresh(tokens);

    private bool NeedsRefresh(SessionTokens tokens) => tokens.ExpiresWithin(auth.Value.RefreshMargin, time.GetUtcNow());

    private Task<AccessTokenResult> RefreshOnceAsync(SessionId session)
        => _refreshes.GetOrAdd(session.StorageKey, _ => new Lazy<Task<AccessTokenResult>>(() => RefreshThenForgetAsync(session, rejected: null))).Value;

    private async Task<AccessTokenResult> RefreshThenForgetAsync(SessionId session, string? rejected)
    {
        try
        {
            return await RefreshAsync(session, rejected);
        }
        finally
        {
            _refreshes.TryRemove(session.StorageKey, out _);
        }
    }

    private async Task<AccessTokenResult> RefreshAsync(SessionId session, string? rejected)
    {
        // Shared by every waiting caller, so it is not cancelled by any one of them.
        using var timeout = new CancellationTokenSource(RefreshTimeout, time);
        var cancellationToken = timeout.Token;
        await using var held = await locks.TryAcquireAsync(RefreshLockName(session), RefreshTimeout, cancellationToken);
        if (held is null)
        {
            return AccessTokenResult.Unavailable("another replica's refresh did not finish in time");
        }

        var tokens = await LoadAsync(session, cancellationToken);
        if (tokens is null)
        {
            return AccessTokenResult.Expired("the session no longer exists");
        }

        if (!NeedsRefresh(tokens) && tokens.AccessToken != rejected)
        {
            return AccessTokenResult.Ok(tokens);
        }

        if (tokens.RefreshToken is null)
        {
            return await EndOrKeepAsync(session, tokens, "no refresh token was issued", cancellationToken);
        }

        var client = registrations.Registration?.Find(tokens.ClientId);
        if (client is null)
        {
            return registrations.Current is null
                ? KeepIfValid(tokens, "the gateway's client registration is not ready")
                : await EndOrKeepAsync(session, tokens, "the client the session signed in with is no longer registered", cancellationToken);
        }

        using var activity = GatewayTelemetry.Source.StartActivity("token refresh");
        var outcome = await tokenEndpoint.RefreshAsync(client, tokens.RefreshToken, cancellationToken, dpopKey: tokens.DpopKey);
        activity?.SetTag("outcome", outcome.Kind.ToString());
        telemetry?.TokenRefreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Kind.ToString()));
        switch (outcome.Kind)
        {
            case RefreshOutcomeKind.Refreshed:
                var refreshed = Apply(tokens, outcome.Tokens!);
                if (!await repository.UpdateTokensAsync(session.StorageKey, protector.Protect(refreshed), cancellationToken))
                {
                    return AccessTokenResult.Expired("the session ended during the refresh");
                }

                cache?.UpdateTokens(session.StorageKey, refreshed);
                AuthLog.TokensRefreshed(logger, session, refreshed.AccessTokenExpiresAt);
                return AccessTokenResult.Ok(refreshed);

            case RefreshOutcomeKind.Refused:
                AuthLog.RefreshRefused(logger, session, outcome.Detail ?? "invalid_grant");
                await terminator.EndAsync(session, "refresh refused", cancellationToken);
                return AccessTokenResult.Expired("the authorization server refused to refresh it");

            case RefreshOutcomeKind.ClientRefused when client.ClientId == registrations.Current?.ClientId:
                // The coordinator reads or replaces the registration; this session may survive a rotated secret.
                registrations.ReportInvalidClient(client.ClientId);
                return KeepIfValid(tokens, "the authorization server refused the gateway's client credentials");

            case RefreshOutcomeKind.ClientRefused:
                // A replaced client whose credentials are gone: its refresh tokens cannot be used any more.
                return await EndOrKeepAsync(session, tokens, "the client the session signed in with was retired", cancellationToken);

            default:
                AuthLog.RefreshUnavailable(logger, session, outcome.Detail ?? "unknown");
                return KeepIfValid(tokens, "the authorization server is unavailable");
        }
    }

    /// <summary>A token inside the refresh margin still works until it actually expires.</summary>
    private AccessTokenResult KeepIfValid(SessionTokens tokens, string reason)
        => tokens.AccessTokenExpiresAt > time.GetUtcNow() ? AccessTokenResult.Ok(tokens) : AccessTokenResult.Unavailable(reason);

    private async Task<AccessTokenResult> EndOrKeepAsync(SessionId session, SessionTokens tokens, string reason, CancellationToken cancellationToken)
    {
        if (tokens.AccessTokenExpiresAt > time.GetUtcNow())
        {
            return AccessTokenResult.Ok(tokens);
        }

        await terminator.EndAsync(session, reason, cancellationToken);
        return AccessTokenResult.Expired(reason);
    }

    private SessionTokens Apply(SessionTokens current, TokenResponse response) => current with
    {
        AccessToken = response.AccessToken!,
        // RFC 6749 §6: the server may rotate the refresh token; otherwise the old one stays valid.
        RefreshToken = response.RefreshToken ?? current.RefreshToken,
        IdToken = response.IdToken ?? current.IdToken,
        TokenType = response.TokenType ?? current.TokenType,
        AccessTokenExpiresAt = time.GetUtcNow() + TimeSpan.FromSeconds(response.ExpiresIn ?? 3600),
    };

    private async Task<SessionTokens?> LoadAsync(SessionId session, CancellationToken cancellationToken)
    {
        var data = await repository.GetTokensAsync(session.StorageKey, cancellationToken);
        return data is null ? null : protector.UnprotectTokens(data);
    }
}
