using McpGateway.Hosting;
using McpGateway.Sessions;

namespace McpGateway.Auth.Tokens;

internal enum AccessTokenFailure
{
    None,

    /// <summary>The session is gone or its refresh was refused: the user must sign in again (401).</summary>
    SessionExpired,

    /// <summary>The token expired and the authorization server cannot refresh it right now (503); the session is kept.</summary>
    Unavailable,
}

/// <summary>A usable access token for a session, or why there is none.</summary>
internal sealed record AccessTokenResult(SessionTokens? Tokens, AccessTokenFailure Failure, string Detail)
{
    public string? AccessToken => Tokens?.AccessToken;

    public bool Succeeded => Failure == AccessTokenFailure.None;

    public static AccessTokenResult Ok(SessionTokens tokens) => new(tokens, AccessTokenFailure.None, "");

    public static AccessTokenResult Expired(string detail) => new(null, AccessTokenFailure.SessionExpired, detail);

    public static AccessTokenResult Unavailable(string detail) => new(null, AccessTokenFailure.Unavailable, detail);

    /// <summary>The HTTP answer for a failure: 401 <c>session_expired</c> or 503 <c>temporarily_unavailable</c>.</summary>
    public Task WriteFailureAsync(HttpResponse response)
    {
        if (Failure == AccessTokenFailure.SessionExpired)
        {
            return GatewayErrors.WriteAsync(response, StatusCodes.Status401Unauthorized, GatewayErrors.SessionExpired,
                $"The session has ended ({Detail}); sign in again at /auth/login.");
        }

        response.Headers.RetryAfter = "5";
        return GatewayErrors.WriteAsync(response, StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable,
            $"The access token could not be refreshed ({Detail}); the session is kept, retry shortly.");
    }
}
