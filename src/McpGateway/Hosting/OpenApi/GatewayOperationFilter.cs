using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace McpGateway.Hosting.OpenApi;

/// <summary>
/// Describes what every endpoint's metadata implies: the session cookie and a 401 where a session
/// is required, the CSRF header and a 403 where it is checked, a 429 where a rate limit applies.
/// </summary>
internal sealed class GatewayOperationFilter : IOperationFilter
{
    public const string SessionScheme = "session";
    public const string CsrfScheme = "csrf";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var needsSession = (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any()) || metadata.OfType<SessionCookieChecked>().Any();
        var needsCsrf = metadata.OfType<CsrfHeaderRequired>().Any();
        operation.Security ??= [];
        var requirement = new OpenApiSecurityRequirement();
        if (needsSession)
        {
            requirement[new OpenApiSecuritySchemeReference(SessionScheme, context.Document)] = [];
            operation.AddError("401", context.SchemaRepository, context.SchemaGenerator,
                "No session, or the session ended (`session_expired`). Never a redirect.", GatewayErrors.SessionExpired, "The session has ended; sign in again at /auth/login.");
            operation.AddError("503", context.SchemaRepository, context.SchemaGenerator,
                "The session store or the authorization server is unavailable; retry after `Retry-After` seconds. No session is lost.",
                GatewayErrors.TemporarilyUnavailable, "The session store is unavailable; retry in a few seconds.");
        }

        if (needsCsrf)
        {
            requirement[new OpenApiSecuritySchemeReference(CsrfScheme, context.Document)] = [];
            operation.AddError("403", context.SchemaRepository, context.SchemaGenerator,
                "The `X-CSRF: 1` header is missing.", GatewayErrors.CsrfHeaderMissing, "This request changes state and must carry the header 'X-CSRF: 1'.");
        }

        if (requirement.Count > 0)
        {
            operation.Security.Add(requirement);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            operation.AddError("429", context.SchemaRepository, context.SchemaGenerator,
                "The user's budget is spent; retry after `Retry-After` seconds.", "rate_limited", "Too many requests; retry in 12 s.");
        }
    }
}
