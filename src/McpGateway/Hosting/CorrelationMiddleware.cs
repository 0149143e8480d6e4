using System.Diagnostics;

namespace McpGateway.Hosting;

/// <summary>
/// Gives every answer an <c>X-Request-Id</c> (the trace id of the request): the id that its log lines
/// carry in their scope, so a user's report leads straight to the gateway's side of the story.
/// </summary>
internal sealed class CorrelationMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        var id = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.Headers[HeaderName] = id;
        return next(context);
    }
}
