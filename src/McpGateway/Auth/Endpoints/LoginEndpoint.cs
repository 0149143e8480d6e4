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

        if (!registrations.IsReady)
        {
            return Unavailable(registrations.AuthorityProblem ?? registrations.RegistrationProblem ?? "the client is not registered");
        }

        try
        {
            // Challenging here, not through a result, lets a refused pushed authorization request become a clear 503.
            await context.ChallengeAsync(OidcSetup.Scheme, new AuthenticationProperties { RedirectUri = returnUrl });
            return TypedResults.Empty;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException && !context.Response.HasStarted)
        {
            AuthLog.SignInFailed(loggers.CreateLogger(typeof(LoginEndpoint)), ex.Message);
            if (ex.Message.Contains("invalid_client", StringComparison.Ordinal) && registrations.Current is { } client)
            {
                registrations.ReportInvalidClient(client.ClientId);
            }

            return Unavailable("the authorization server refused to start the sign-in; retry shortly");
        }
    }

    private static IResult Unavailable(string reason)
        => GatewayErrors.Result(StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable, "Sign-in is not available yet: " + reason + ".");
}
