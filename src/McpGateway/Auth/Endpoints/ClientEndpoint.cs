using McpGateway.Auth.Registration;
using McpGateway.Hosting;

namespace McpGateway.Auth.Endpoints;

/// <summary><c>GET /auth/client</c>: the registration in use, or 503 while there is none.</summary>
internal static class ClientEndpoint
{
    public static IResult Handle(ClientRegistrationState registrations)
    {
        if (registrations.Current is not { } client)
        {
            return GatewayErrors.Result(StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable,
                registrations.AuthorityProblem ?? registrations.RegistrationProblem ?? "The client is not registered yet.");
        }

        return TypedResults.Json(new ClientInfo
        {
            Issuer = client.Issuer,
            ClientId = client.ClientId,
            Registration = client.Preconfigured ? "preconfigured" : "dynamic",
            ClientIdIssuedAt = client.ClientIdIssuedAt,
            ClientSecretExpiresAt = client.ClientSecretExpiresAt,
            GrantTypes = client.GrantTypes,
            TokenEndpointAuthMethod = client.TokenEndpointAuthMethod,
        }, GatewayJsonContext.Default.ClientInfo);
    }
}
