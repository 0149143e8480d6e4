using McpGateway.Hosting;
using McpGateway.Tests.Infrastructure;

namespace McpGateway.Tests.Hosting;

public sealed class CsrfHeaderFilterTests
{
    private static readonly object NextResult = new();

    [Fact]
    public async Task Request_without_the_header_gets_403_csrf_header_missing_and_never_reaches_the_endpoint()
    {
        var (context, reachedEndpoint) = await InvokeAsync(_ => { });

        Assert.False(reachedEndpoint);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        var body = context.Response.BodyJson();
        Assert.Equal("csrf_header_missing", body.Property("error"));
        Assert.Contains("X-CSRF: 1", body.Property("error_description"), StringComparison.Ordinal);
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("true")]
    [InlineData("11")]
    [InlineData("yes")]
    public async Task Request_with_a_wrong_header_value_gets_403(string value)
    {
        var (context, reachedEndpoint) = await InvokeAsync(request => request.Headers["X-CSRF"] = value);

        Assert.False(reachedEndpoint);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal("csrf_header_missing", context.Response.BodyJson().Property("error"));
    }

    [Fact]
    public async Task Header_of_the_same_value_under_another_name_does_not_count()
    {
        var (context, reachedEndpoint) = await InvokeAsync(request => request.Headers["X-CSRF-Token"] = "1");

        Assert.False(reachedEndpoint);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("X-CSRF")]
    [InlineData("x-csrf")]
    public async Task Request_with_x_csrf_1_reaches_the_endpoint(string headerName)
    {
        var context = HttpResponses.NewContext();
        context.Request.Headers[headerName] = "1";
        var reachedEndpoint = false;

        var result = await new CsrfHeaderFilter().InvokeAsync(EndpointFilterInvocationContext.Create(context), _ =>
        {
            reachedEndpoint = true;
            return ValueTask.FromResult<object?>(NextResult);
        });

        Assert.True(reachedEndpoint);
        Assert.Same(NextResult, result);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    private static async Task<(HttpContext Context, bool ReachedEndpoint)> InvokeAsync(Action<HttpRequest> arrange)
    {
        var context = HttpResponses.NewContext();
        context.Request.Method = HttpMethods.Post;
        arrange(context.Request);
        var reachedEndpoint = false;

        var result = await new CsrfHeaderFilter().InvokeAsync(EndpointFilterInvocationContext.Create(context), _ =>
        {
            reachedEndpoint = true;
            return ValueTask.FromResult<object?>(NextResult);
        });

        var httpResult = Assert.IsAssignableFrom<IResult>(result);
        await httpResult.ExecuteAsync(context);
        return (context, reachedEndpoint);
    }
}
