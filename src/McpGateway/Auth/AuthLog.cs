using McpGateway.Sessions;

namespace McpGateway.Auth;

/// <summary>Authentication log messages; event ids 3000–3099. Never a token, secret or raw session id.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(3000, LogLevel.Information, "Registered client {ClientId} at {Issuer} (RFC 7591).", EventName = "ClientRegistered")]
    public static partial void ClientRegistered(ILogger logger, string clientId, string issuer);

    [LoggerMessage(3001, LogLevel.Information, "Updated the registration of client {ClientId} (RFC 7592 PUT) after a configuration change.", EventName = "ClientUpdated")]
    public static partial void ClientUpdated(ILogger logger, string clientId);

    [LoggerMessage(3002, LogLevel.Information, "Read the registration of client {ClientId} (RFC 7592 GET) and adopted its current credentials.", EventName = "ClientRead")]
    public static partial void ClientRead(ILogger logger, string clientId);

    [LoggerMessage(3003, LogLevel.Warning, "Client {ClientId} can no longer be used or renewed; registering a new client.", EventName = "ClientReplaced")]
    public static partial void ClientReplaced(ILogger logger, string clientId);

    [LoggerMessage(3004, LogLevel.Information, "Signing users in as client {ClientId} (preconfigured: {Preconfigured}).", EventName = "ClientInUse")]
    public static partial void ClientInUse(ILogger logger, string clientId, bool preconfigured);

    [LoggerMessage(3005, LogLevel.Warning, "Registration attempt {Attempt} failed, next in {Delay}: {Reason}", EventName = "RegistrationAttemptFailed")]
    public static partial void RegistrationAttemptFailed(ILogger logger, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(3006, LogLevel.Warning, "The token endpoint refused client {ClientId} (invalid_client); checking its registration.", EventName = "InvalidClientReported")]
    public static partial void InvalidClientReported(ILogger logger, string clientId);

    [LoggerMessage(3007, LogLevel.Warning, "Auth:RequireHttpsMetadata is false: the authorization server {Authority} may be reached over plain http. Use this only for local stacks.", EventName = "HttpsMetadataNotRequired")]
    public static partial void HttpsMetadataNotRequired(ILogger logger, string authority);

    [LoggerMessage(3008, LogLevel.Warning, "The authorization server no longer knows the stored client {ClientId}; registering a new one.", EventName = "ClientGone")]
    public static partial void ClientGone(ILogger logger, string clientId);

    [LoggerMessage(3010, LogLevel.Information, "Refreshed the tokens of {Session}; the new access token expires at {ExpiresAt:O}.", EventName = "TokensRefreshed")]
    public static partial void TokensRefreshed(ILogger logger, SessionId session, DateTimeOffset expiresAt);

    [LoggerMessage(3011, LogLevel.Information, "The authorization server refused to refresh {Session} ({Error}); the session ends.", EventName = "RefreshRefused")]
    public static partial void RefreshRefused(ILogger logger, SessionId session, string error);

    [LoggerMessage(3012, LogLevel.Warning, "Refreshing {Session} failed transiently: {Reason}. The session is kept.", EventName = "RefreshUnavailable")]
    public static partial void RefreshUnavailable(ILogger logger, SessionId session, string reason);

    [LoggerMessage(3013, LogLevel.Information, "User {Subject} signed in ({Session}).", EventName = "SignedIn")]
    public static partial void SignedIn(ILogger logger, string subject, SessionId session);

    [LoggerMessage(3014, LogLevel.Warning, "Sign-in failed: {Reason}", EventName = "SignInFailed")]
    public static partial void SignInFailed(ILogger logger, string reason);

    [LoggerMessage(3020, LogLevel.Information, "Logged out {Session}; refresh token revoked: {RefreshRevoked}, access token revoked: {AccessRevoked}.", EventName = "LoggedOut")]
    public static partial void LoggedOut(ILogger logger, SessionId session, bool refreshRevoked, bool accessRevoked);

    [LoggerMessage(3021, LogLevel.Warning, "Token revocation failed: {Reason}.", EventName = "RevocationFailed")]
    public static partial void RevocationFailed(ILogger logger, string reason);

    [LoggerMessage(3022, LogLevel.Information, "Back-channel logout for {Kind} ended {Count} session(s).", EventName = "BackChannelLogout")]
    public static partial void BackChannelLogout(ILogger logger, string kind, int count);

    [LoggerMessage(3023, LogLevel.Warning, "Back-channel logout token refused: {Reason}", EventName = "BackChannelLogoutRefused")]
    public static partial void BackChannelLogoutRefused(ILogger logger, string reason);

    [LoggerMessage(3030, LogLevel.Warning, "The authorization server {Issuer} does not list S256 in code_challenge_methods_supported: the gateway sends PKCE challenges, but the server may not verify them.", EventName = "PkceNotAdvertised")]
    public static partial void PkceNotAdvertised(ILogger logger, string issuer);

    [LoggerMessage(3040, LogLevel.Information, "Client {ClientId} authenticates to the authorization server with {Method}.", EventName = "ClientAuthentication")]
    public static partial void ClientAuthentication(ILogger logger, string clientId, string method);

    [LoggerMessage(3015, LogLevel.Warning, "User {Subject} signed in without a refresh token: {Cause}. The session ends when its access token expires at {ExpiresAt:O}.", EventName = "SignedInWithoutRefreshToken")]
    public static partial void SignedInWithoutRefreshToken(ILogger logger, string subject, string cause, DateTimeOffset expiresAt);

    [LoggerMessage(3050, LogLevel.Information, "Obtained the access token of {Session} for resource {Resource} (RFC 8707); it expires at {ExpiresAt:O}.", EventName = "ResourceTokenRefreshed")]
    public static partial void ResourceTokenRefreshed(ILogger logger, SessionId session, string resource, DateTimeOffset expiresAt);

    [LoggerMessage(3051, LogLevel.Warning, "{Session} has no refresh token, so no token for resource {Resource} can be obtained (RFC 8707 §2.2): its session-mode servers get the sign-in access token.", EventName = "ResourceTokenFallback")]
    public static partial void ResourceTokenFallback(ILogger logger, SessionId session, string resource);

    [LoggerMessage(3052, LogLevel.Warning, "The token of {Session} for resource {Resource} could not be obtained: {Reason}.", EventName = "ResourceTokenUnavailable")]
    public static partial void ResourceTokenUnavailable(ILogger logger, SessionId session, string resource, string reason);
}
