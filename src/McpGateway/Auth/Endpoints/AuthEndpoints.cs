using McpGateway.Hosting;

namespace McpGateway.Auth.Endpoints;

/// <summary>Maps the <c>/auth</c> endpoints.</summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithTags("Authentication");

        auth.MapGet("/login", LoginEndpoint.HandleAsync)
            .WithSummary("Start signing in (authorization code + PKCE); 302 to the authorization server.")
            .Produces(StatusCodes.Status302Found)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            .AllowAnonymous();
        auth.MapGet("/session", SessionEndpoint.HandleAsync)
            .WithSummary("The signed-in user, or 401 {authenticated:false}.")
            .AllowAnonymous();
        auth.MapGet("/client", ClientEndpoint.Handle)
            .WithSummary("The gateway's OAuth client registration, without secrets.")
            .Produces<ClientInfo>()
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            .AllowAnonymous();
        auth.MapPost("/logout", LogoutEndpoint.HandleAsync)
            .WithSummary("Revoke the tokens, end the session, and get the provider's end-session URL.")
            .Produces<LogoutResponse>()
            .RequireAuthorization()
            .RequireCsrfHeader();
        auth.MapPost("/backchannel", BackChannelLogoutEndpoint.HandleAsync)
            .WithSummary("OpenID Connect Back-Channel Logout: the provider ends sessions by sid or sub.")
            .Accepts<LogoutTokenForm>("application/x-www-form-urlencoded")
            .Produces(StatusCodes.Status200OK)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .AllowAnonymous()
            .DisableAntiforgery();
        return app;
    }
}
