using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Registration;
using McpGateway.Connectors.StepUp;
using McpGateway.Connectors.Tokens;
using McpGateway.Sessions;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.Connectors.Authorization;

/// <summary>
/// A user's authorization of one discover-mode connector: the authorization code flow with PKCE S256 and the RFC 8707
/// <c>resource</c>, a random single-use state bound to the session and the connector, the RFC 9207 <c>iss</c> check,
/// and the tokens kept in the session. Authorizing again asks for the usual scopes, those of the current grant and any
/// scope the server demanded since (MCP step-up), so a step-up keeps what was granted.
/// </summary>
internal sealed class ConnectorAuthorizer(
    ConnectorDiscoveryCache discovery,
    ConnectorClients clients,
    ConnectorClientDocument clientDocument,
    IPendingAuthorizations pending,
    PendingAuthorizationProtector protector,
    ConnectorTokenEndpoint tokenEndpoint,
    ConnectorTokenStore tokens,
    ConnectorStepUps stepUps,
    TimeProvider time,
    ILogger<ConnectorAuthorizer> logger)
{
    internal static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(10);
    private const string OfflineAccess = "offline_access";

    /// <returns>The authorization server's URL to send the browser to.</returns>
    /// <exception cref="ConnectorDiscoveryException">The server's authorization could not be discovered or the client not registered.</exception>
    public async Task<string> StartAsync(SessionId session, Connector connector, string returnUrl, CancellationToken cancellationToken)
    {
        var found = await discovery.GetAsync(connector, cancellationToken);
        var client = await clients.GetAsync(connector, found, cancellationToken);
        var state = Pkce.NewSecret();
        var verifier = Pkce.NewSecret();
        var scopes = await ScopesAsync(session, connector, found, cancellationToken);
        var flow = new PendingAuthorization
        {
            SessionKey = session.StorageKey,
            Connector = connector.Name,
            CodeVerifier = verifier,
            RedirectUri = clientDocument.RedirectUri(connector.Name),
            Issuer = found.Issuer.AbsoluteUri,
            ClientId = client.ClientId,
            Resource = found.Resource.AbsoluteUri,
            Scope = scopes.Count == 0 ? null : string.Join(' ', scopes),
            ReturnUrl = returnUrl,
        };
        await pending.SaveAsync(Pkce.StorageKey(state), protector.Protect(flow), FlowLifetime, cancellationToken);

        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = client.ClientId,
            ["redirect_uri"] = flow.RedirectUri,
            ["state"] = state,
            ["code_challenge"] = Pkce.Challenge(verifier),
            ["code_challenge_method"] = Pkce.Method,
            ["resource"] = flow.Resource,
        };
        if (flow.Scope is not null)
        {
            parameters["scope"] = flow.Scope;
        }

        if (scopes.Contains(OfflineAccess))
        {
            // OpenID Connect Core §11: offline access is granted only after consent was asked for.
            parameters["prompt"] = "consent";
        }

        ConnectorsLog.AuthorizationStarted(logger, session.ToString(), connector.Name);
        return QueryHelpers.AddQueryString(found.AuthorizationEndpoint, parameters);
    }

    /// <summary>Checks the callback against the flow it claims to finish; a refused callback stores nothing.</summary>
    /// <returns>The local URL to return to, and the error code when it failed.</returns>
    public async Task<(string ReturnUrl, string? Error)> CompleteAsync(
        SessionId? session, Connector connector, ConnectorCallback callback, CancellationToken cancellationToken)
    {
        if (callback.State is null)
        {
            return Refuse(connector, "/", CallbackErrors.InvalidState, "no state");
        }

        var stateKey = Pkce.StorageKey(callback.State);
        var peeked = await pending.PeekAsync(stateKey, cancellationToken) is { } data ? protector.Unprotect(data) : null;
        if (peeked is null)
        {
            return Refuse(connector, "/", CallbackErrors.InvalidState, "unknown, expired or used state");
        }

        if (session is null)
        {
            return Refuse(connector, "/", CallbackErrors.SessionRequired, "no session");
        }

        if (peeked.SessionKey != session.Value.StorageKey || peeked.Connector != connector.Name)
        {
            // Another session's flow (or another connector's): left untouched for its owner.
            return Refuse(connector, "/", CallbackErrors.StateMismatch, "the state belongs to another session or connector");
        }

        var flow = await pending.TakeAsync(stateKey, cancellationToken) is { } taken ? protector.Unprotect(taken) : null;
        if (flow is null)
        {
            return Refuse(connector, "/", CallbackErrors.InvalidState, "the state was used concurrently");
        }

        if (callback.Error is { } error)
        {
            return Refuse(connector, flow.ReturnUrl, CallbackErrors.FromAuthorizationServer(error), "the authorization server answered " + CallbackErrors.FromAuthorizationServer(error));
        }

        return await RedeemAsync(session.Value, connector, callback, flow, cancellationToken);
    }

    private async Task<(string ReturnUrl, string? Error)> RedeemAsync(
        SessionId session, Connector connector, ConnectorCallback callback, PendingAuthorization flow, CancellationToken cancellationToken)
    {
        ConnectorDiscovery found;
        Auth.Registration.ClientRegistration client;
        try
        {
            found = await discovery.GetAsync(connector, cancellationToken);
            client = await clients.GetAsync(connector, found, cancellationToken);
        }
        catch (ConnectorDiscoveryException ex)
        {
            return Refuse(connector, flow.ReturnUrl, CallbackErrors.AuthorizationServerUnavailable, ex.Message);
        }

        // RFC 9207: a server that says it sends iss must send its own; any iss sent must be right (mix-up defence).
        if (found.Issuer.AbsoluteUri != flow.Issuer
            || (callback.Issuer is null && found.AuthorizationServer.AuthorizationResponseIssParameterSupported)
            || (callback.Issuer is not null && !ResourceIdentifier.SameIssuer(callback.Issuer, found.Issuer)))
        {
            return Refuse(connector, flow.ReturnUrl, CallbackErrors.IssuerMismatch, "the iss parameter is missing or names another authorization server");
        }

        if (callback.Code is null)
        {
            return Refuse(connector, flow.ReturnUrl, CallbackErrors.MissingCode, "no code");
        }

        if (client.ClientId != flow.ClientId)
        {
            return Refuse(connector, flow.ReturnUrl, CallbackErrors.TokenExchangeFailed, "the client changed during the authorization");
        }

        var outcome = await tokenEndpoint.ExchangeCodeAsync(found, client, callback.Code, flow.RedirectUri, flow.CodeVerifier, cancellationToken);
        if (outcome.Kind != ConnectorTokenOutcomeKind.Issued)
        {
            return Refuse(connector, flow.ReturnUrl,
                outcome.Kind == ConnectorTokenOutcomeKind.Refused ? CallbackErrors.TokenExchangeFailed : CallbackErrors.AuthorizationServerUnavailable,
                "the token endpoint answered " + outcome.Error);
        }

        var issued = outcome.Tokens!;
        var stored = new ConnectorTokens
        {
            AccessToken = issued.AccessToken!,
            RefreshToken = issued.RefreshToken,
            ExpiresAt = time.GetUtcNow() + TimeSpan.FromSeconds(issued.ExpiresIn ?? 3600),
            Scope = flow.Scope,
            Issuer = flow.Issuer,
            ClientId = client.ClientId,
            Resource = flow.Resource,
        };
        if (!await tokens.SaveAsync(session, connector.Name, stored, cancellationToken))
        {
            return Refuse(connector, "/", CallbackErrors.SessionEnded, "the session ended during the authorization");
        }

        if (await stepUps.DemandedAsync(session, connector.Name, cancellationToken) is not { } demanded
            || ScopeTokens.Split(demanded).All(ScopeTokens.Split(flow.Scope).Contains))
        {
            // Asked for (or nothing was demanded); a demand that came after this flow started stays for the next one.
            await stepUps.ForgetAsync(session, connector.Name, cancellationToken);
        }

        ConnectorsLog.Authorized(logger, session.ToString(), connector.Name, stored.RefreshToken is not null);
        return (flow.ReturnUrl, null);
    }

    /// <summary>The usual scopes, plus those of the user's current grant at the same authorization server, plus those the server demanded since.</summary>
    private async Task<List<string>> ScopesAsync(SessionId session, Connector connector, ConnectorDiscovery found, CancellationToken cancellationToken)
    {
        var current = await tokens.GetAsync(session, connector.Name, cancellationToken);
        var granted = current is not null && current.Issuer == found.Issuer.AbsoluteUri ? current.Scope : null;
        var demanded = await stepUps.DemandedAsync(session, connector.Name, cancellationToken);
        if (demanded is not null)
        {
            ConnectorsLog.StepUpStarted(logger, session.ToString(), connector.Name, demanded);
        }

        return ScopeTokens.Union([.. Scopes(connector, found), granted, demanded]);
    }

    /// <summary>The configured scopes; else those of the server's challenge; else its metadata's, plus offline_access when the authorization server offers it.</summary>
    private static List<string> Scopes(Connector connector, ConnectorDiscovery found)
    {
        var configured = connector.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var scopes = configured.Length > 0 ? [.. configured]
            : found.ChallengeScope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } challenged ? [.. challenged]
            : found.ScopesSupported.ToList();
        if (configured.Length == 0 && !scopes.Contains(OfflineAccess) && found.AuthorizationServer.ScopesSupported?.Contains(OfflineAccess) == true)
        {
            scopes.Add(OfflineAccess);
        }

        return scopes;
    }

    private (string ReturnUrl, string? Error) Refuse(Connector connector, string returnUrl, string error, string reason)
    {
        ConnectorsLog.CallbackRefused(logger, connector.Name, error, reason);
        return (returnUrl, error);
    }
}
