using System.Collections.Concurrent;
using McpGateway.Auth;
using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Registration;
using McpGateway.Connectors.StepUp;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;
using McpGateway.Storage;
using Microsoft.Extensions.Options;

namespace McpGateway.Connectors.Tokens;

/// <summary>
/// The discover-mode token of a session for a connector, refreshed (with its <c>resource</c>) before it expires
/// within <see cref="AuthOptions.RefreshMargin"/>. A refresh is single-flight: one task per session and connector in
/// this process, and a distributed lock across replicas under which the stored tokens are read again.
/// </summary>
internal sealed class ConnectorCredentials(
    ConnectorTokenStore store,
    ConnectorDiscoveryCache discovery,
    ConnectorClients clients,
    ConnectorTokenEndpoint tokenEndpoint,
    ConnectorStepUps stepUps,
    IGatewayLocks locks,
    IOptions<AuthOptions> auth,
    TimeProvider time,
    ILogger<ConnectorCredentials> logger) : IConnectorCredentials
{
    private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Lazy<Task<ConnectorTokens>>> _refreshes = new(StringComparer.Ordinal);

    public async Task<string> GetAccessTokenAsync(SessionId session, Connector connector, CancellationToken cancellationToken)
    {
        var tokens = await store.GetAsync(session, connector.Name, cancellationToken)
            ?? throw new ConnectorAuthorizationRequiredException(connector.Name, "not authorized yet");
        if (!NeedsRefresh(tokens))
        {
            return tokens.AccessToken;
        }

        return (await RefreshOnceAsync(session, connector, rejected: null).WaitAsync(cancellationToken)).AccessToken;
    }

    public async Task<string?> ReplaceRejectedAsync(SessionId session, Connector connector, string rejected, CancellationToken cancellationToken)
    {
        try
        {
            var replaced = await RefreshOnceAsync(session, connector, rejected).WaitAsync(cancellationToken);
            return replaced.AccessToken == rejected ? null : replaced.AccessToken;
        }
        catch (Exception ex) when (ex is ConnectorAuthorizationRequiredException or UpstreamUnavailableException)
        {
            return null;
        }
    }

    public Task InsufficientScopeAsync(SessionId session, Connector connector, string scope, CancellationToken cancellationToken)
        => stepUps.RememberAsync(session, connector.Name, scope, cancellationToken);

    private bool NeedsRefresh(ConnectorTokens tokens) => tokens.ExpiresWithin(auth.Value.RefreshMargin, time.GetUtcNow());

    private Task<ConnectorTokens> RefreshOnceAsync(SessionId session, Connector connector, string? rejected)
    {
        var key = session.StorageKey + "|" + connector.Name;
        return _refreshes.GetOrAdd(key, started => new Lazy<Task<ConnectorTokens>>(async () =>
        {
            try
            {
                return await RefreshAsync(session, connector, rejected);
            }
            finally
            {
                _refreshes.TryRemove(started, out _);
            }
        })).Value;
    }

    private async Task<ConnectorTokens> RefreshAsync(SessionId session, Connector connector, string? rejected)
    {
        // Shared by every waiting caller, so none of them cancels it.
        using var timeout = new CancellationTokenSource(RefreshTimeout, time);
        var cancellationToken = timeout.Token;
        await using var held = await locks.TryAcquireAsync($"connector-refresh:{session.StorageKey}:{connector.Name}", RefreshTimeout, cancellationToken)
            ?? throw new UpstreamUnavailableException($"Another replica's refresh of the '{connector.Name}' token did not finish in time.");

        var tokens = await store.GetAsync(session, connector.Name, cancellationToken)
            ?? throw new ConnectorAuthorizationRequiredException(connector.Name, "not authorized");
        if (!NeedsRefresh(tokens) && tokens.AccessToken != rejected)
        {
            return tokens;
        }

        if (tokens.RefreshToken is null)
        {
            return await KeepOrForgetAsync(session, connector, tokens, rejected, "no refresh token was issued", cancellationToken);
        }

        ConnectorDiscovery found;
        Auth.Registration.ClientRegistration client;
        try
        {
            found = await discovery.GetAsync(connector, cancellationToken);
            client = await clients.GetAsync(connector, found, cancellationToken);
        }
        catch (ConnectorDiscoveryException ex)
        {
            return KeepIfValid(connector, tokens, rejected, ex.Message);
        }

        if (client.ClientId != tokens.ClientId)
        {
            await store.RemoveAsync(session, connector.Name, cancellationToken);
            throw new ConnectorAuthorizationRequiredException(connector.Name, "the client the token was issued to was replaced");
        }

        var outcome = await tokenEndpoint.RefreshAsync(found, client, tokens, cancellationToken);
        switch (outcome.Kind)
        {
            case ConnectorTokenOutcomeKind.Issued:
                var refreshed = tokens with
                {
                    AccessToken = outcome.Tokens!.AccessToken!,
                    RefreshToken = outcome.Tokens.RefreshToken ?? tokens.RefreshToken,
                    ExpiresAt = time.GetUtcNow() + TimeSpan.FromSeconds(outcome.Tokens.ExpiresIn ?? 3600),
                };
                if (!await store.SaveAsync(session, connector.Name, refreshed, cancellationToken))
                {
                    throw new ConnectorAuthorizationRequiredException(connector.Name, "the session ended during the refresh");
                }

                ConnectorsLog.TokenRefreshed(logger, session.ToString(), connector.Name, refreshed.ExpiresAt);
                return refreshed;

            case ConnectorTokenOutcomeKind.Refused:
                ConnectorsLog.RefreshRefused(logger, session.ToString(), connector.Name, outcome.Error ?? "invalid_grant");
                await store.RemoveAsync(session, connector.Name, cancellationToken);
                throw new ConnectorAuthorizationRequiredException(connector.Name, "the authorization server refused to refresh the token");

            default:
                ConnectorsLog.RefreshUnavailable(logger, session.ToString(), connector.Name, outcome.Error ?? "unknown");
                return KeepIfValid(connector, tokens, rejected, $"the authorization server is unavailable ({outcome.Error})");
        }
    }

    /// <summary>A token inside the refresh margin still works until it actually expires (unless the server just refused it).</summary>
    private ConnectorTokens KeepIfValid(Connector connector, ConnectorTokens tokens, string? rejected, string reason)
        => tokens.ExpiresAt > time.GetUtcNow() && tokens.AccessToken != rejected
            ? tokens
            : throw new UpstreamUnavailableException($"The token for connector '{connector.Name}' cannot be refreshed: {reason}.");

    private async Task<ConnectorTokens> KeepOrForgetAsync(
        SessionId session, Connector connector, ConnectorTokens tokens, string? rejected, string reason, CancellationToken cancellationToken)
    {
        if (tokens.ExpiresAt > time.GetUtcNow() && tokens.AccessToken != rejected)
        {
            return tokens;
        }

        await store.RemoveAsync(session, connector.Name, cancellationToken);
        throw new ConnectorAuthorizationRequiredException(connector.Name, reason);
    }
}
