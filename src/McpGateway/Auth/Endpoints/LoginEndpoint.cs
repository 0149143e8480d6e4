using McpGateway.Auth.Oidc;
using McpGateway.Auth.Registration;
using McpGateway.Hosting;
using Microsoft.AspNetCore.Authentication;

namespace McpGateway.Auth.Endpoints;

/// <summary><c>GET /auth/login?returnUrl=/path</c>: starts the authorization code flow (PKCE S256, state, nonce).</summary>
internal static class LoginEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, string? returnUrl, ClientRegistrationState registrations, ILoggerFactory loggers)
    {
        returnUrl ??= "/";
        if (!ReturnUrl.IsLocal(returnUrl))
        {
            return GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest,
                "returnUrl must be a path of this site, such as /chat.");
        }

        // The return URL travels in the state and finally in a Location header: ASCII only, and short
        // enough that the authorization server's redirect back still fits in a request line.
        returnUrl = ReturnUrl.ToAscii(returnUrl);
        if (returnUrl.Length > ReturnUrl.MaxLength)
        {
            return GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest,
                $"returnUrl must be at most {ReturnUrl.MaxLength} characters long (after percent-encoding).");
        }

        if (!registrations.IsReady)
        {
            return Unavailable(registrations.AuthorityProblem ?? registrations.RegistrationProblem ?? "the client is not registered");
        }

        try
        {
            // Challenging here, not through a result, lets a refused or timed-out pushed authorization request become a clear 503.
            await context.ChallengeAsync(OidcSetup.Scheme, new AuthenticationProperties { RedirectUri = returnUrl });
            return TypedResults.Empty;
        }
        catch (Exception ex) when (SignInStartFailure.IsAuthorityProblem(ex, context.RequestAborted) && !context.Response.HasStarted)
        {
            AuthLog.SignInFailed(loggers.CreateLogger(typeof(LoginEndpoint)), ex.Message);
            if (SignInStartFailure.IsInvalidClient(ex) && registrations.Current is { } client)
            {
                // The authorization server forgot the client (or its secret): the coordinator reads or replaces the registration.
                registrations.ReportInvalidClient(client.ClientId);
            }

            return Unavailable("the authorization server did not accept the start of the sign-in; retry shortly");
        }
    }

    private static IResult Unavailable(string reason)
        => GatewayErrors.Result(StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable, "Sign-in is not available yet: " + reason + ".");
}
