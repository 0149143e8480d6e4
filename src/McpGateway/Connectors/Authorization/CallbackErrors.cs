namespace McpGateway.Connectors.Authorization;

/// <summary>The <c>connector_error</c> codes a callback redirects with.</summary>
internal static class CallbackErrors
{
    /// <summary>No such authorization in progress: forged, expired, or already used (replayed).</summary>
    public const string InvalidState = "invalid_state";

    /// <summary>The state belongs to another session (another user's flow) or another connector.</summary>
    public const string StateMismatch = "state_mismatch";

    public const string SessionRequired = "session_required";
    public const string IssuerMismatch = "issuer_mismatch";
    public const string MissingCode = "missing_code";
    public const string TokenExchangeFailed = "token_exchange_failed";
    public const string AuthorizationServerUnavailable = "authorization_server_unavailable";
    public const string SessionEnded = "session_ended";

    /// <summary>An error the authorization server sent (e.g. access_denied), if it is a plausible OAuth error code; otherwise a generic one.</summary>
    public static string FromAuthorizationServer(string error)
        => error.Length <= 64 && error.All(c => c is (>= 'a' and <= 'z') or '_') ? error : "authorization_failed";
}
