using McpGateway.Auth.Tokens;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;

namespace McpGateway.Tests.Auth.Tokens;

public sealed class AccessTokenResultTests
{
    [Fact]
    public async Task Expired_session_is_answered_401_session_expired_without_retry_after()
    {
        var context = HttpResponses.NewContext();

        await AccessTokenResult.Expired("refresh refused").WriteFailureAsync(context.Response);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        var body = context.Response.BodyJson();
        Assert.Equal("session_expired", body.Property("error"));
        Assert.Contains("refresh refused", body.Property("error_description"), StringComparison.Ordinal);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Unavailable_token_is_answered_503_with_retry_after()
    {
        var context = HttpResponses.NewContext();

        await AccessTokenResult.Unavailable("the authorization server is unavailable").WriteFailureAsync(context.Response);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("temporarily_unavailable", context.Response.BodyJson().Property("error"));
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public void Success_carries_the_access_token_and_failures_carry_none()
    {
        var tokens = new SessionTokens { AccessToken = "at", AccessTokenExpiresAt = DateTimeOffset.UtcNow, ClientId = "c" };

        Assert.True(AccessTokenResult.Ok(tokens).Succeeded);
        Assert.Equal("at", AccessTokenResult.Ok(tokens).AccessToken);
        Assert.False(AccessTokenResult.Expired("x").Succeeded);
        Assert.Null(AccessTokenResult.Expired("x").AccessToken);
        Assert.False(AccessTokenResult.Unavailable("x").Succeeded);
        Assert.Null(AccessTokenResult.Unavailable("x").AccessToken);
    }
}
