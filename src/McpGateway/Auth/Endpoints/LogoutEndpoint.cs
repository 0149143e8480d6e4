using McpGateway.Auth.Discovery;
using McpGateway.Auth.Registration;
using McpGateway.Auth.Tokens;
using McpGateway.Connectors.Tokens;
using McpGateway.Hosting;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth.Endpoints;

/// <summary>
/// <c>POST /auth/logout</c> (session + <c>X-CSRF: 1</c>): revokes the refresh and access tokens
/// (RFC 7009) and the session's connector tokens, deletes the server session and its cookie, and returns the end-session URL.
/// </summary>
internal static class LogoutEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        SessionTokenService tokens,
        TokenEndpointClient tokenEndpoint,
        ClientRegistrationState registrations,
        SessionTerminator terminator,
        AuthorityMetadata metadata,
        ConnectorDisconnector connectors,
        IOptions<GatewayOptions> gateway,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(LogoutEndpoint));
        if (ActiveSession.Of(context) is not { } session)
        {
            return GatewayErrors.Result(StatusCodes.Status401Unauthorized, GatewayErrors.Unauthenticated, "Nobody is signed in.");
        }

        var current = await tokens.ReadAsync(session.Id, context.RequestAborted) ?? session.Tokens;
        var client = registrations.Registration?.Find(current.ClientId);
        var refreshRevoked = client is not null && current.RefreshToken is not null
            && await TryRevokeAsync(tokenEndpoint, client, current.RefreshToken, "refresh_token", current, logger, context.RequestAborted);
        var accessRevoked = client is not null
            && await TryRevokeAsync(tokenEndpoint, client, current.AccessToken, "access_token", current, logger, context.RequestAborted);

        // The session's connector tokens go with it; revoked first, so they die at their servers too.
        await connectors.DisconnectAllAsync(session.Id, context.RequestAborted);
        await terminator.EndAsync(session.Id, "logout", context.RequestAborted);
        await context.SignOutAsync(SessionCookie.Scheme);
        AuthLog.LoggedOut(logger, session.Id, refreshRevoked, accessRevoked);

        var redirect = await EndSessionUrlAsync(metadata, current, gateway.Value, context.RequestAborted);
        return TypedResults.Json(new LogoutResponse(redirect), GatewayJsonContext.Default.LogoutResponse);
    }

    private static async Task<bool> TryRevokeAsync(
        TokenEndpointClient tokenEndpoint, ClientRegistration client, string token, string hint, SessionTokens tokens, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await tokenEndpoint.RevokeAsync(client, token, hint, cancellationToken, tokens.DpopKey);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The session ends regardless: a revocation that could not be sent must not keep anyone signed in.
            AuthLog.RevocationFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>RP-Initiated Logout 1.0: id_token_hint and the registered post-logout redirect URI.</summary>
    private static async Task<string> EndSessionUrlAsync(
        AuthorityMetadata metadata, SessionTokens tokens, GatewayOptions gateway, CancellationToken cancellationToken)
    {
        var home = gateway.Resolve(AuthPaths.PostLogoutRedirect).AbsoluteUri;
        string? endSession;
        try
        {
            endSession = (await metadata.GetAsync(cancellationToken)).EndSessionEndpoint;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException)
        {
            endSession = null;
        }

        if (string.IsNullOrEmpty(endSession))
        {
            return home;
        }

        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = tokens.ClientId,
            ["post_logout_redirect_uri"] = home,
        };
        if (tokens.IdToken is not null)
        {
            parameters["id_token_hint"] = tokens.IdToken;
        }

        return QueryHelpers.AddQueryString(endSession, parameters);
    }
}
