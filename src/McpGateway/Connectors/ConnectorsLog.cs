namespace McpGateway.Connectors;

/// <summary>Connector authorization log messages; event ids 9050–9099, step-up 9100–9119. Never a token, secret, code, state or raw session id.</summary>
internal static partial class ConnectorsLog
{
    [LoggerMessage(9050, LogLevel.Information, "Discovered the authorization of connector {Connector}: resource {Resource}, authorization server {Issuer}.", EventName = "ConnectorDiscovered")]
    public static partial void Discovered(ILogger logger, string connector, string resource, string issuer);

    [LoggerMessage(9051, LogLevel.Warning, "Discovery of connector {Connector} failed: {Reason}", EventName = "ConnectorDiscoveryFailed")]
    public static partial void DiscoveryFailed(ILogger logger, string connector, string reason);

    [LoggerMessage(9052, LogLevel.Information, "Registered connector client {ClientId} at {Issuer} (RFC 7591).", EventName = "ConnectorClientRegistered")]
    public static partial void ClientRegistered(ILogger logger, string clientId, string issuer);

    [LoggerMessage(9053, LogLevel.Information, "Using the client ID metadata document {ClientId} at {Issuer}.", EventName = "ConnectorClientMetadataDocument")]
    public static partial void ClientMetadataDocument(ILogger logger, string clientId, string issuer);

    [LoggerMessage(9054, LogLevel.Information, "Using the configured client {ClientId} at {Issuer}.", EventName = "ConnectorClientConfigured")]
    public static partial void ClientConfigured(ILogger logger, string clientId, string issuer);

    [LoggerMessage(9055, LogLevel.Information, "{Session} started authorizing connector {Connector}.", EventName = "ConnectorAuthorizationStarted")]
    public static partial void AuthorizationStarted(ILogger logger, string session, string connector);

    [LoggerMessage(9056, LogLevel.Information, "{Session} authorized connector {Connector} (refresh token: {Refreshable}).", EventName = "ConnectorAuthorized")]
    public static partial void Authorized(ILogger logger, string session, string connector, bool refreshable);

    [LoggerMessage(9057, LogLevel.Warning, "A callback of connector {Connector} was refused: {Error} ({Reason}).", EventName = "ConnectorCallbackRefused")]
    public static partial void CallbackRefused(ILogger logger, string connector, string error, string reason);

    [LoggerMessage(9058, LogLevel.Information, "Refreshed the token of {Session} for connector {Connector}; it expires at {ExpiresAt}.", EventName = "ConnectorTokenRefreshed")]
    public static partial void TokenRefreshed(ILogger logger, string session, string connector, DateTimeOffset expiresAt);

    [LoggerMessage(9059, LogLevel.Warning, "The authorization server refused to refresh the token of {Session} for connector {Connector} ({Error}); it is forgotten.", EventName = "ConnectorRefreshRefused")]
    public static partial void RefreshRefused(ILogger logger, string session, string connector, string error);

    [LoggerMessage(9060, LogLevel.Warning, "The token of {Session} for connector {Connector} could not be refreshed: {Reason}", EventName = "ConnectorRefreshUnavailable")]
    public static partial void RefreshUnavailable(ILogger logger, string session, string connector, string reason);

    [LoggerMessage(9061, LogLevel.Information, "{Session} disconnected connector {Connector} ({Why}; revoked: {Revoked}).", EventName = "ConnectorDisconnected")]
    public static partial void Disconnected(ILogger logger, string session, string connector, string why, bool revoked);

    [LoggerMessage(9062, LogLevel.Warning, "Revoking a token of connector {Connector} failed: {Reason}", EventName = "ConnectorRevocationFailed")]
    public static partial void RevocationFailed(ILogger logger, string connector, string reason);

    [LoggerMessage(9063, LogLevel.Warning, "Upstreams:Mcp:AllowedIssuers is empty: discover-mode connectors may use any authorization server their server names.", EventName = "ConnectorIssuersUnrestricted")]
    public static partial void IssuersUnrestricted(ILogger logger);

    [LoggerMessage(9100, LogLevel.Information, "Connector {Connector} demanded scope {Scope} of {Session}; the next authorization asks for it.", EventName = "ConnectorStepUpRemembered")]
    public static partial void StepUpRemembered(ILogger logger, string session, string connector, string scope);

    [LoggerMessage(9101, LogLevel.Warning, "Connector {Connector} demanded a malformed scope ({Length} characters); it is ignored.", EventName = "ConnectorStepUpScopeIgnored")]
    public static partial void StepUpScopeIgnored(ILogger logger, string connector, int length);

    [LoggerMessage(9102, LogLevel.Information, "{Session} is authorizing connector {Connector} again for the demanded scope {Scope}.", EventName = "ConnectorStepUpStarted")]
    public static partial void StepUpStarted(ILogger logger, string session, string connector, string scope);

    [LoggerMessage(9103, LogLevel.Warning, "The scope connector {Connector} demanded could not be remembered: {Reason}", EventName = "ConnectorStepUpNotRemembered")]
    public static partial void StepUpNotRemembered(ILogger logger, string connector, string reason);
}
