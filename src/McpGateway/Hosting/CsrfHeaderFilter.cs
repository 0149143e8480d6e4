namespace McpGateway.Hosting;

/// <summary>
/// State-changing endpoints require <c>X-CSRF: 1</c>. A cross-site form or image cannot set a custom
/// header, and a cross-site script that could would first need a CORS preflight the gateway never grants.
/// </summary>
internal sealed class CsrfHeaderFilter : IEndpointFilter
{
    public const string HeaderName = "X-CSRF";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Request.Headers[HeaderName] != "1")
        {
            return ValueTask.FromResult<object?>(GatewayErrors.Result(StatusCodes.Status403Forbidden, GatewayErrors.CsrfHeaderMissing,
                $"This request changes state and must carry the header '{HeaderName}: 1'."));
        }

        return next(context);
    }
}

internal static class CsrfHeaderFilterExtensions
{
    public static TBuilder RequireCsrfHeader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter<TBuilder, CsrfHeaderFilter>().WithMetadata(new CsrfHeaderRequired());
}
