namespace McpGateway.Hosting;

/// <summary>
/// The built frontend from <c>wwwroot</c> (index.html for client-side routes), and a JSON 404 for
/// unknown API paths: an API caller never gets an HTML page.
/// </summary>
internal static class FrontendFeature
{
    private static readonly string[] ApiPrefixes = ["/api", "/auth", "/mcp", "/swagger", "/signin-oidc", "/signout-callback-oidc"];

    public static WebApplication UseGatewayFrontend(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // Hashed asset names can be cached for good; index.html must always be revalidated.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.File.Name == "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
        });
        return app;
    }

    public static WebApplication MapGatewayFrontendFallback(this WebApplication app)
    {
        app.MapFallback(async context =>
        {
            var path = context.Request.Path;
            var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
            if (ApiPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
                || !HttpMethods.IsGet(context.Request.Method))
            {
                await GatewayErrors.WriteAsync(context.Response, StatusCodes.Status404NotFound, "not_found", $"No endpoint {context.Request.Method} {path}.");
                return;
            }

            if (!index.Exists)
            {
                await FrontendNotBuiltPage.WriteAsync(context.Response);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.SendFileAsync(index);
        }).ExcludeFromDescription();
        return app;
    }
}
