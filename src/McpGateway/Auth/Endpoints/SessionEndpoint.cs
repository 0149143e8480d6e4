using McpGateway.Auth.Tokens;
using McpGateway.Hosting;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth.Endpoints;

/// <summary>
/// <c>GET /auth/session</c>: the signed-in user, or 401 <c>{authenticated:false}</c>. It also keeps the
/// session's tokens fresh, so a session whose refresh the authorization server refuses answers
/// <c>session_expired</c> here first.
/// </summary>
internal static class SessionEndpoint
{
    public static async Task<Results<Ok<SessionInfo>, JsonHttpResult<SessionInfo>>> HandleAsync(
        HttpContext context, SessionTokenService tokens, IOptionsMonitor<CookieAuthenticationOptions> cookies, IOptions<Sessions.SessionOptions> sessions)
    {
        context.Response.Headers.CacheControl = "no-store";
        var cookieName = cookies.Get(SessionCookie.Scheme).Cookie.Name!;
        var authentication = await context.AuthenticateAsync(SessionCookie.Scheme);
        if (!authentication.Succeeded)
        {
            return context.Request.Cookies.ContainsKey(cookieName)
                ? Unauthenticated(GatewayErrors.SessionExpired, "The session has ended; sign in again at /auth/login.")
                : Unauthenticated(GatewayErrors.Unauthenticated, "Nobody is signed in; sign in at /auth/login.");
        }

        var token = await tokens.GetAccessTokenAsync(context);
        if (token.Failure == AccessTokenFailure.SessionExpired)
        {
            await context.SignOutAsync(SessionCookie.Scheme);
            return Unauthenticated(GatewayErrors.SessionExpired, $"The session has ended ({token.Detail}); sign in again at /auth/login.");
        }

        var user = authentication.Principal;
        var refreshable = token.Tokens?.RefreshToken is not null;
        var signedIn = SignInTime.Of(authentication.Properties);
        return TypedResults.Ok(new SessionInfo
        {
            Authenticated = true,
            Subject = user.FindFirst("sub")?.Value,
            Name = user.FindFirst("name")?.Value ?? user.FindFirst("preferred_username")?.Value,
            Email = user.FindFirst("email")?.Value,
            ExpiresAt = authentication.Properties.ExpiresUtc,
            Refreshable = token.Tokens is null ? null : refreshable,
            EndsAt = refreshable ? signedIn + sessions.Value.AbsoluteLifetime : token.Tokens?.AccessTokenExpiresAt,
        });
    }

    private static JsonHttpResult<SessionInfo> Unauthenticated(string error, string description)
        => TypedResults.Json(
            new SessionInfo { Authenticated = false, Error = error, ErrorDescription = description },
            GatewayJsonContext.Default.SessionInfo,
            statusCode: StatusCodes.Status401Unauthorized);
}
