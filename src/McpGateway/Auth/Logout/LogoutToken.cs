namespace McpGateway.Auth.Logout;

/// <summary>A validated back-channel logout token: the sessions to end are those of its sid, else of its subject.</summary>
internal sealed record LogoutToken(string? Sid, string? Subject, string Jti);
