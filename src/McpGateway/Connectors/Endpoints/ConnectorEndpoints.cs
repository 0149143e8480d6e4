using McpGateway.Connectors.Routing;
using McpGateway.Auth;
using McpGateway.Connectors.Authorization;
using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Registration;
using McpGateway.Connectors.Tokens;
using McpGateway.Hosting;
using McpGateway.Hosting.OpenApi;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.Connectors.Endpoints;

/// <summary>The connector endpoints: the list, authorize / callback, disconnect, and the client ID metadata document.</summary>
internal static class ConnectorEndpoints
{
    public static IEndpointRouteBuilder MapConnectorEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/connectors").WithTags("Connectors").RequireAuthorization();
        api.MapGet("/", ListAsync)
            .WithSummary("Every connector (MCP server) and its state for the signed-in user: connected, authorization_required or unavailable (with a reason).")
            .Produces<ConnectorList>();
        api.MapPost("/{name}/authorize", AuthorizeAsync)
            .WithSummary("Start authorizing a discover-mode connector at its own authorization server; send the browser to the answered url. Optional body {returnUrl}.")
            .WithMetadata(new OptionalJsonBody(typeof(AuthorizeConnectorRequest)))
            .Produces<AuthorizeConnectorResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict)
            .Produces<ErrorResponse>(StatusCodes.Status502BadGateway)
            .RequireCsrfHeader();
        api.MapDelete("/{name}", DisconnectAsync)
            .WithSummary("Revoke (RFC 7009) and forget the user's tokens for a discover-mode connector.")
            .Produces<DisconnectConnectorResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict)
            .RequireCsrfHeader();

        app.MapGet("/connectors/{name}/callback", CallbackAsync)
            .WithTags("Connectors")
            .WithSummary("The connector authorization server's redirect back (code, state, iss); 302 to the flow's returnUrl with connector_result=connected or connector_result=error&connector_error=<code>.")
            .Produces(StatusCodes.Status302Found)
            .AllowAnonymous();
        app.MapGet(ConnectorPaths.ClientMetadataDocument, ClientDocument)
            .WithTags("Connectors")
            .WithSummary("The gateway's OAuth Client ID Metadata Document (its URL is the client_id at authorization servers that support it); only on an https public origin.")
            .Produces<ConnectorClientMetadata>()
            .Produces(StatusCodes.Status404NotFound)
            .AllowAnonymous();
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ConnectorStatusReader reader)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (ActiveSession.Of(context) is not { } session)
        {
            return NoSession();
        }

        return TypedResults.Json(await reader.ReadAsync(session.Id, context.RequestAborted), ConnectorsJsonContext.Default.ConnectorList);
    }

    private static async Task<IResult> AuthorizeAsync(string name, HttpContext context, ConnectorCatalog connectors, ConnectorAuthorizer authorizer)
    {
        if (ActiveSession.Of(context) is not { } session)
        {
            return NoSession();
        }

        if (Authorizable(connectors, name) is { Error: { } refused })
        {
            return refused;
        }

        var returnUrl = "/";
        if (context.Request.ContentLength is > 0 || context.Request.Headers.ContentType.Count > 0)
        {
            var (body, invalid) = await JsonBody.ReadAsync(context.Request, ConnectorsJsonContext.Default.AuthorizeConnectorRequest, 16 * 1024);
            if (invalid is not null)
            {
                return invalid;
            }

            if (body!.ReturnUrl is { } requested)
            {
                if (!ReturnUrl.IsLocal(requested) || requested.Length > ReturnUrl.MaxLength)
                {
                    return GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest, "returnUrl must be a local path such as /chat.");
                }

                returnUrl = ReturnUrl.ToAscii(requested);
            }
        }

        try
        {
            var url = await authorizer.StartAsync(session.Id, connectors.Find(name)!, returnUrl, context.RequestAborted);
            return TypedResults.Json(new AuthorizeConnectorResponse(url), ConnectorsJsonContext.Default.AuthorizeConnectorResponse);
        }
        catch (ConnectorDiscoveryException ex)
        {
            return GatewayErrors.Result(StatusCodes.Status502BadGateway, ConnectorErrors.DiscoveryFailed, ex.Message);
        }
    }

    private static async Task<IResult> CallbackAsync(string name, HttpContext context, ConnectorCatalog connectors, ConnectorAuthorizer authorizer)
    {
        context.Response.Headers.CacheControl = "no-store";
        var connector = connectors.Find(name);
        if (connector is not { Authorization: ConnectorAuthorization.Discover })
        {
            return Back("/", name, CallbackErrors.InvalidState);
        }

        await context.AuthenticateAsync(SessionCookie.Scheme);
        var session = ActiveSession.Of(context)?.Id;
        var (returnUrl, error) = await authorizer.CompleteAsync(session, connector, ConnectorCallback.From(context.Request.Query), context.RequestAborted);
        return Back(returnUrl, name, error);
    }

    private static async Task<IResult> DisconnectAsync(string name, HttpContext context, ConnectorCatalog connectors, ConnectorDisconnector disconnector)
    {
        if (ActiveSession.Of(context) is not { } session)
        {
            return NoSession();
        }

        if (Authorizable(connectors, name) is { Error: { } refused })
        {
            return refused;
        }

        await disconnector.DisconnectAsync(session.Id, connectors.Find(name)!, "disconnected by the user", context.RequestAborted);
        return TypedResults.Json(new DisconnectConnectorResponse(name, ConnectorStatus.AuthorizationRequired), ConnectorsJsonContext.Default.DisconnectConnectorResponse);
    }

    private static IResult ClientDocument(ConnectorClientDocument document)
        => document.IsServable
            ? TypedResults.Json(document.Document, ConnectorsJsonContext.Default.ConnectorClientMetadata)
            : GatewayErrors.Result(StatusCodes.Status404NotFound, ConnectorErrors.NotFound, "The client ID metadata document is served only on an https Gateway:PublicOrigin.");

    private static (IResult? Error, bool Ok) Authorizable(ConnectorCatalog connectors, string name)
        => connectors.Find(name) switch
        {
            null => (GatewayErrors.Result(StatusCodes.Status404NotFound, ConnectorErrors.NotFound, $"There is no connector named '{name}'."), false),
            { Authorization: not ConnectorAuthorization.Discover } connector => (GatewayErrors.Result(StatusCodes.Status409Conflict, ConnectorErrors.NotAuthorizable,
                $"The connector '{name}' uses {connector.Authorization.ToString().ToLowerInvariant()} authorization; there is nothing to authorize."), false),
            _ => (null, true),
        };

    private static IResult NoSession()
        => GatewayErrors.Result(StatusCodes.Status401Unauthorized, GatewayErrors.Unauthenticated, "Nobody is signed in; sign in at /auth/login.");

    private static RedirectHttpResult Back(string returnUrl, string connector, string? error)
    {
        var parameters = new Dictionary<string, string?> { ["connector"] = connector, ["connector_result"] = error is null ? "connected" : "error" };
        if (error is not null)
        {
            parameters["connector_error"] = error;
        }

        return TypedResults.Redirect(QueryHelpers.AddQueryString(returnUrl, parameters));
    }
}
