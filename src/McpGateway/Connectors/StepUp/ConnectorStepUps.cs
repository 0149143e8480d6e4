using McpGateway.Sessions;
using StackExchange.Redis;

namespace McpGateway.Connectors.StepUp;

/// <summary>
/// MCP step-up authorization: remembers, per session and connector, the scope the connector's server demanded with a
/// 403 insufficient_scope, so that the next authorization of that connector asks for it besides the scopes it asks for
/// anyway and those already granted. The browser never names scopes: only the server's challenge does.
/// </summary>
internal sealed class ConnectorStepUps(IConnectorStepUps store, ILogger<ConnectorStepUps> logger)
{
    /// <summary>How long a demand waits for the user to authorize again.</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// Adds <paramref name="scope"/> to what the session's next authorization of the connector asks for; a malformed
    /// scope is ignored, and a store that cannot be reached only loses the hint (the -32009 answer stays as it is).
    /// </summary>
    public async Task RememberAsync(SessionId session, string connector, string scope, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            // The challenge named no scope: there is nothing more to ask for.
            return;
        }

        if (!ScopeTokens.IsValid(scope))
        {
            ConnectorsLog.StepUpScopeIgnored(logger, connector, scope.Length);
            return;
        }

        try
        {
            var earlier = await DemandedAsync(session, connector, cancellationToken);
            var merged = string.Join(' ', ScopeTokens.Union(earlier, scope));
            if (!ScopeTokens.IsValid(merged))
            {
                // Too many demands piled up: the latest one wins.
                merged = scope;
            }

            await store.SaveAsync(session.StorageKey, connector, merged, Lifetime, cancellationToken);
            ConnectorsLog.StepUpRemembered(logger, session.ToString(), connector, merged);
        }
        catch (RedisException ex)
        {
            ConnectorsLog.StepUpNotRemembered(logger, connector, ex.Message);
        }
    }

    /// <returns>The scope demanded since the last authorization, or <see langword="null"/>.</returns>
    public async Task<string?> DemandedAsync(SessionId session, string connector, CancellationToken cancellationToken)
        => await store.GetAsync(session.StorageKey, connector, cancellationToken) is { } scope && ScopeTokens.IsValid(scope) ? scope : null;

    /// <summary>The authorization asked for the demanded scope: nothing is pending any more.</summary>
    public Task ForgetAsync(SessionId session, string connector, CancellationToken cancellationToken)
        => store.RemoveAsync(session.StorageKey, connector, cancellationToken);
}
