using McpGateway.Auth.Logout;
using McpGateway.Hosting;
using McpGateway.Sessions;
using McpGateway.Storage;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Auth.Endpoints;

/// <summary>
/// <c>POST /auth/backchannel</c>: OpenID Connect Back-Channel Logout 1.0. The provider posts a signed
/// logout token; the sessions of its sid (or, without one, of its subject) end on every replica.
/// </summary>
internal static class BackChannelLogoutEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        LogoutTokenValidator validator,
        IOneTimeKeys oneTimeKeys,
        SessionTerminator terminator,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(BackChannelLogoutEndpoint));
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
        {
            return Refuse(logger, "the request is not application/x-www-form-urlencoded");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = form["logout_token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            return Refuse(logger, "logout_token is missing");
        }

        LogoutToken logout;
        try
        {
            logout = await validator.ValidateAsync(token, context.RequestAborted);
        }
        catch (SecurityTokenException ex)
        {
            return Refuse(logger, ex.Message);
        }

        if (!await oneTimeKeys.TryUseAsync("logout-jti:" + logout.Jti, LogoutTokenValidator.ReplayWindow, context.RequestAborted))
        {
            return Refuse(logger, "the logout token was already used");
        }

        var (kind, ended) = logout.Sid is not null
            ? ("sid", await terminator.EndBySidAsync(logout.Sid, "back-channel logout", context.RequestAborted))
            : ("sub", await terminator.EndBySubjectAsync(logout.Subject!, "back-channel logout", context.RequestAborted));
        AuthLog.BackChannelLogout(logger, kind, ended);
        return TypedResults.Ok();
    }

    private static IResult Refuse(ILogger logger, string reason)
    {
        AuthLog.BackChannelLogoutRefused(logger, reason);
        return GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest, "The logout token was refused: " + reason + ".");
    }
}
