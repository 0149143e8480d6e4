using McpGateway.Auth.Endpoints;
using McpGateway.Auth.Registration;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGateway.Tests.Auth.Endpoints;

public sealed class LoginEndpointTests
{
    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task Non_local_return_url_is_refused_with_400_before_anything_else(string returnUrl)
    {
        var context = HttpResponses.NewContext();

        var result = await LoginEndpoint.HandleAsync(context, returnUrl, new ClientRegistrationState(), NullLoggerFactory.Instance);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Equal("invalid_request", context.Response.BodyJson().Property("error"));
        Assert.False(context.Response.Headers.ContainsKey("Location"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/chat")]
    public async Task Sign_in_before_the_client_is_registered_is_503_saying_why(string? returnUrl)
    {
        var context = HttpResponses.NewContext();
        var registrations = new ClientRegistrationState();
        registrations.AuthorityUnavailable("the authorization server is down");

        var result = await LoginEndpoint.HandleAsync(context, returnUrl, registrations, NullLoggerFactory.Instance);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        var body = context.Response.BodyJson();
        Assert.Equal("temporarily_unavailable", body.Property("error"));
        Assert.Contains("the authorization server is down", body.Property("error_description"), StringComparison.Ordinal);
    }
}
