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
        HttpContext context, SessionTokenService tokens, IOptionsMonitor<CookieAuthenticationOptions> cookies)
    {
        var cookieName = cookies.Get(SessionCookie.Scheme).Cookie.Name!;
        if (context.User.Identity?.IsAuthenticated != true)
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

        var result = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
        return TypedResults.Ok(new SessionInfo
        {
            Authenticated = true,
            Subject = context.User.FindFirst("sub")?.Value,
            Name = context.User.FindFirst("name")?.Value ?? context.User.FindFirst("preferred_username")?.Value,
            Email = context.User.FindFirst("email")?.Value,
            ExpiresAt = result?.Properties?.ExpiresUtc,
        });
    }

    private static JsonHttpResult<SessionInfo> Unauthenticated(string error, string description)
        => TypedResults.Json(
            new SessionInfo { Authenticated = false, Error = error, ErrorDescription = description },
            GatewayJsonContext.Default.SessionInfo,
            statusCode: StatusCodes.Status401Unauthorized);
}
