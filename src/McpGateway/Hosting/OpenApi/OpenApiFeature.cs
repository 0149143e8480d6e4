using McpGateway.Contexts;
using McpGateway.Sessions;
using Microsoft.OpenApi;

namespace McpGateway.Hosting.OpenApi;

/// <summary>The API document (<c>/swagger/v1/swagger.json</c>) and its UI (<c>/swagger</c>).</summary>
internal static class OpenApiFeature
{
    private const string RoutePrefix = "/swagger";

    public static IHostApplicationBuilder AddGatewayOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "McpGateway",
                Version = "v1",
                Description = "The same-origin API of the McpGateway backend-for-frontend. A browser signs in at `/auth/login` and then holds only an "
                    + "HttpOnly session cookie; the gateway keeps the OAuth tokens and attaches them upstream. State-changing calls need the header "
                    + "`X-CSRF: 1`. Every error is JSON `{error, error_description}`. The MCP WebSocket at `/mcp` (subprotocols `mcp` and `mcp-v1`) is "
                    + "described in the README.",
            });
            options.AddSecurityDefinition(GatewayOperationFilter.SessionScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = SessionCookie.SecureName,
                Description = $"The session cookie set by the sign-in (`{SessionCookie.SecureName}` on https, `{SessionCookie.DevelopmentName}` on plain-http development origins). "
                    + "It holds an opaque reference only; the browser never sees a token.",
            });
            options.AddSecurityDefinition(GatewayOperationFilter.CsrfScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = CsrfHeaderFilter.HeaderName,
                Description = "Must be `1` on every state-changing call; cross-site forms cannot set it.",
            });
            options.MapType<ContextTimestamp>(ContextSchemaFilter.Timestamp);
            options.SchemaFilter<ContextSchemaFilter>();
            options.OperationFilter<GatewayOperationFilter>();
            options.OperationFilter<OptionalJsonBodyFilter>();
            options.DocumentFilter<ChatDocumentFilter>();
            options.DocumentFilter<HealthDocumentFilter>();
            options.SupportNonNullableReferenceTypes();
        });
        return builder;
    }

    public static WebApplication MapGatewayOpenApi(this WebApplication app)
    {
        // Both middlewares serve only below /swagger: every other request skips them with one path test
        // instead of passing through two more async steps.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(RoutePrefix), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(options =>
            {
                options.SwaggerEndpoint("/swagger/v1/swagger.json", "McpGateway v1");
                options.DocumentTitle = "McpGateway API";
            });
        });
        return app;
    }
}
