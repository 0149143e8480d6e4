using McpGateway.Auth.Oidc;
using McpGateway.Auth.Registration;
using McpGateway.Hosting;
using Microsoft.AspNetCore.Authentication;

namespace McpGateway.Auth.Endpoints;

/// <summary><c>GET /auth/login?returnUrl=/path</c>: starts the authorization code flow (PKCE S256, state, nonce).</summary>
internal static class LoginEndpoint
{
    public static IResult Handle(string? returnUrl, ClientRegistrationState registrations)
    {
        returnUrl ??= "/";
        if (!ReturnUrl.IsLocal(returnUrl))
        {
            return GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest,
                "returnUrl must be a path of this site, such as /chat.");
        }

        if (!registrations.IsReady)
        {
            return GatewayErrors.Result(StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable,
                "Sign-in is not available yet: " + (registrations.AuthorityProblem ?? registrations.RegistrationProblem));
        }

        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [OidcSetup.Scheme]);
    }
}
