using McpGateway.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

/// <summary>
/// An API never redirects to a login page: without a session it answers 401 JSON, saying
/// <c>session_expired</c> when the browser still holds a cookie whose session has ended.
/// </summary>
internal sealed class SessionCookieEvents(
    IOptions<SessionOptions> sessions,
    SessionTerminator terminator,
    TimeProvider time,
    ILogger<SessionCookieEvents> logger) : CookieAuthenticationEvents
{
    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        var cookieName = context.Options.Cookie.Name!;
        if (context.Request.Cookies.ContainsKey(cookieName))
        {
            context.Response.Cookies.Delete(cookieName, context.Options.Cookie.Build(context.HttpContext));
            return GatewayErrors.WriteAsync(context.Response, StatusCodes.Status401Unauthorized, GatewayErrors.SessionExpired,
                "The session has ended; sign in again at /auth/login.");
        }

        return GatewayErrors.WriteAsync(context.Response, StatusCodes.Status401Unauthorized, GatewayErrors.Unauthenticated,
            "Sign in first at /auth/login.");
    }

    /// <summary>Whether the session signed in less than <c>Sessions:AbsoluteLifetime</c> ago (or its sign-in time is unknown).</summary>
    public bool IsWithinLifetime(AuthenticationProperties properties)
        => SignInTime.Of(properties) is not { } signedIn || signedIn + sessions.Value.AbsoluteLifetime > time.GetUtcNow();

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
        => GatewayErrors.WriteAsync(context.Response, StatusCodes.Status403Forbidden, GatewayErrors.Forbidden, "The session may not use this endpoint.");

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        if (IsWithinLifetime(context.Properties))
        {
            return;
        }

        if (ActiveSession.Of(context.HttpContext) is { } session)
        {
            SessionsLog.SessionLifetimeReached(logger, session.Id);
            await terminator.EndAsync(session.Id, "absolute lifetime reached", context.HttpContext.RequestAborted);
        }

        context.RejectPrincipal();
    }
}
