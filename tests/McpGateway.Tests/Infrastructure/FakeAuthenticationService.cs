using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace McpGateway.Tests.Infrastructure;

/// <summary>
/// Stands in for the authentication handlers: records each challenge, and runs <see cref="OnChallenge"/>
/// (which may throw what the OpenID Connect handler would: a timeout, a refused pushed authorization request).
/// </summary>
internal sealed class FakeAuthenticationService : IAuthenticationService
{
    public List<(string? Scheme, AuthenticationProperties? Properties)> Challenges { get; } = [];

    public Func<HttpContext, Task> OnChallenge { get; set; } = context =>
    {
        context.Response.Redirect("https://idp.test/auth?request_uri=urn:1");
        return Task.CompletedTask;
    };

    public static DefaultHttpContext NewContext(FakeAuthenticationService service)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddSingleton<IAuthenticationService>(service).BuildServiceProvider(),
        };
        context.Response.Body = new MemoryStream();
        return context;
    }

    public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties)
    {
        Challenges.Add((scheme, properties));
        return OnChallenge(context);
    }

    public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) => Task.FromResult(AuthenticateResult.NoResult());

    public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => throw new NotSupportedException();

    public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) => throw new NotSupportedException();

    public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => throw new NotSupportedException();
}
