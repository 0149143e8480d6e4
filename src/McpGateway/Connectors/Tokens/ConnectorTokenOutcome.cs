using McpGateway.Auth.Tokens;

namespace McpGateway.Connectors.Tokens;

internal enum ConnectorTokenOutcomeKind
{
    Issued,

    /// <summary>invalid_grant and the like: the grant is gone, the user must authorize again.</summary>
    Refused,

    /// <summary>The authorization server could not be reached or answered garbage: try later.</summary>
    Unavailable,
}

internal sealed record ConnectorTokenOutcome(ConnectorTokenOutcomeKind Kind, TokenResponse? Tokens = null, string? Error = null);
