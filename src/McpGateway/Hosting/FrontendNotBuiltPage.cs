namespace McpGateway.Hosting;

/// <summary>
/// What a browser gets at <c>/</c> when the demo frontend was never built into <c>wwwroot</c>: how to
/// build it, instead of a bare 404. The API works either way.
/// </summary>
internal static class FrontendNotBuiltPage
{
    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>McpGateway: the demo frontend is not built</title></head>
        <body>
        <h1>McpGateway is running; its demo frontend is not built</h1>
        <p>The gateway serves the Svelte app of <code>src/web</code> from <code>src/McpGateway/wwwroot</code>, which is build output.
        Build it with Node.js 20 or later on PATH, then restart the gateway:</p>
        <ul>
        <li><code>dotnet build src/McpGateway</code> (builds the frontend whenever its sources changed, unless <code>-p:BuildFrontend=false</code>), or</li>
        <li><code>npm ci &amp;&amp; npm run build</code> in <code>src/web</code>.</li>
        </ul>
        <p>The API needs no frontend: see <a href="/swagger">/swagger</a>.</p>
        </body>
        </html>
        """;

    public static Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status404NotFound;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        return response.WriteAsync(Html);
    }
}
