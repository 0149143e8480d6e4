namespace McpGateway.Auth.Tokens;

/// <summary>How a refresh at the token endpoint ended.</summary>
internal enum RefreshOutcomeKind
{
    Refreshed,

    /// <summary><c>invalid_grant</c>: the refresh token is dead (revoked, expired, reused); the session must end.</summary>
    Refused,

    /// <summary><c>invalid_client</c>: the client's credentials were refused; the registration must be checked.</summary>
    ClientRefused,

    /// <summary>Network failure, timeout, 5xx or a garbled answer: try again later, keep the session.</summary>
    Unavailable,
}

internal sealed record RefreshOutcome(RefreshOutcomeKind Kind, TokenResponse? Tokens = null, string? Detail = null);
