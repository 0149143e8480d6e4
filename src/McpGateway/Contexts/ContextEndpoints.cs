using System.Security.Claims;
using McpGateway.Hosting;

namespace McpGateway.Contexts;

/// <summary><c>/api/conversations/{id}/contexts</c>: the signed-in user's contexts of one conversation.</summary>
internal static class ContextEndpoints
{
    public static IEndpointRouteBuilder MapContextEndpoints(this IEndpointRouteBuilder app)
    {
        var contexts = app.MapGroup("/api/conversations/{conversationId}/contexts").WithTags("Contexts").RequireAuthorization();
        contexts.MapGet("/", ListAsync).WithSummary("The conversation's contexts, oldest first.")
            .Produces<ContextList>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        contexts.MapPost("/", StoreAsync).WithSummary("Store (or replace, by id) a context; every open socket of the user is told.").RequireCsrfHeader()
            .Accepts<StoreContextRequest>("application/json")
            .Produces<ConversationContext>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);
        contexts.MapDelete("/{contextId}", DeleteAsync).WithSummary("Delete a context; every open socket of the user is told.").RequireCsrfHeader()
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListAsync(string conversationId, ClaimsPrincipal user, ContextService contexts, CancellationToken cancellationToken)
    {
        var (list, error) = await contexts.ListAsync(Subject(user), conversationId, cancellationToken);
        return error is null ? TypedResults.Json(new ContextList(list!), GatewayJsonContext.Default.ContextList) : ToResult(error);
    }

    private static async Task<IResult> StoreAsync(string conversationId, HttpRequest request, ClaimsPrincipal user, ContextService contexts, CancellationToken cancellationToken)
    {
        var (body, invalid) = await JsonBody.ReadAsync(request, GatewayJsonContext.Default.StoreContextRequest);
        if (invalid is not null)
        {
            return invalid;
        }

        if (body!.ConversationId is not null && body.ConversationId != conversationId)
        {
            return GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest, "conversation_id in the body differs from the one in the path.");
        }

        var (stored, error) = await contexts.StoreAsync(Subject(user), body with { ConversationId = conversationId }, cancellationToken);
        return error is null
            ? TypedResults.Created($"/api/conversations/{conversationId}/contexts/{stored!.Id}", stored)
            : ToResult(error);
    }

    private static async Task<IResult> DeleteAsync(string conversationId, string contextId, ClaimsPrincipal user, ContextService contexts, CancellationToken cancellationToken)
    {
        var error = await contexts.DeleteAsync(Subject(user), conversationId, contextId, cancellationToken);
        return error is null ? TypedResults.NoContent() : ToResult(error);
    }

    private static string Subject(ClaimsPrincipal user) => user.FindFirst("sub")!.Value;

    private static IResult ToResult(ContextError error) => error.Kind switch
    {
        ContextErrorKind.NotFound => GatewayErrors.Result(StatusCodes.Status404NotFound, "not_found", error.Message),
        ContextErrorKind.LimitReached => GatewayErrors.Result(StatusCodes.Status409Conflict, "limit_reached", error.Message),
        _ => GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest, error.Message),
    };
}
