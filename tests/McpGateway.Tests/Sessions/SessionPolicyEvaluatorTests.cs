using System.Security.Claims;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace McpGateway.Tests.Sessions;

/// <summary>
/// The session policy in one step: a signed-in session's own result and principal, authorized without the handlers;
/// anything else (no session, another policy) answered as the framework's evaluator answers it.
/// </summary>
public sealed class SessionPolicyEvaluatorTests
{
    private static readonly AuthorizationPolicy SessionPolicy = new AuthorizationPolicyBuilder(SessionCookie.Scheme).RequireAuthenticatedUser().Build();

    [Fact]
    public async Task A_signed_in_session_is_the_requests_own_principal_and_is_authorized()
    {
        var signedIn = SignedIn("alice");
        var context = Context(signedIn, out var evaluator);

        var result = await evaluator.AuthenticateAsync(SessionPolicy, context);
        var authorization = await evaluator.AuthorizeAsync(SessionPolicy, result, context, resource: null);

        // The scheme's principal itself (the authentication service hands it on in a result of its own).
        Assert.Same(signedIn.Principal, result.Principal);
        Assert.Same(signedIn.Principal, context.User);
        Assert.True(authorization.Succeeded);
    }

    [Fact]
    public async Task Without_a_session_the_request_is_anonymous_and_challenged_as_the_framework_does()
    {
        var context = Context(AuthenticateResult.NoResult(), out var evaluator);

        var result = await evaluator.AuthenticateAsync(SessionPolicy, context);
        var authorization = await evaluator.AuthorizeAsync(SessionPolicy, result, context, resource: null);

        Assert.False(result.Succeeded);
        Assert.False(context.User.Identity!.IsAuthenticated);
        Assert.True(authorization.Challenged);
        Assert.False(authorization.Succeeded);
    }

    [Fact]
    public async Task A_failed_session_is_anonymous_too_without_its_failure_reaching_the_request()
    {
        var context = Context(AuthenticateResult.Fail("the ticket could not be read"), out var evaluator);

        var result = await evaluator.AuthenticateAsync(SessionPolicy, context);

        Assert.True(result.None);
        Assert.False(context.User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task Another_policy_is_the_frameworks_a_signed_in_user_without_its_claim_is_forbidden()
    {
        var admins = new AuthorizationPolicyBuilder(SessionCookie.Scheme).RequireClaim("role", "admin").Build();
        var context = Context(SignedIn("bob"), out var evaluator);

        var result = await evaluator.AuthenticateAsync(admins, context);
        var authorization = await evaluator.AuthorizeAsync(admins, result, context, resource: null);

        Assert.False(SessionPolicyEvaluator.IsSessionPolicy(admins));
        Assert.True(result.Succeeded);
        Assert.Equal("bob", context.User.FindFirst("sub")?.Value);
        Assert.True(authorization.Forbidden);
    }

    private static AuthenticateResult SignedIn(string subject)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", subject)], authenticationType: SessionCookie.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SessionCookie.Scheme));
    }

    private static DefaultHttpContext Context(AuthenticateResult answer, out IPolicyEvaluator evaluator)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new FixedAnswer(answer));
        services.AddAuthentication(options => options.AddScheme<FixedAnswerHandler>(SessionCookie.Scheme, displayName: null));
        services.AddAuthorization();
        services.TryAddTransient<PolicyEvaluator>();
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, SessionPolicyEvaluator>());
        var provider = services.BuildServiceProvider();
        evaluator = provider.GetRequiredService<IPolicyEvaluator>();
        Assert.IsType<SessionPolicyEvaluator>(evaluator);
        return new DefaultHttpContext { RequestServices = provider };
    }

    private sealed record FixedAnswer(AuthenticateResult Result);

    /// <summary>A scheme that answers what the test says, as the session cookie handler would for a given cookie.</summary>
    private sealed class FixedAnswerHandler(FixedAnswer answer) : IAuthenticationHandler
    {
        public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context) => Task.CompletedTask;

        public Task<AuthenticateResult> AuthenticateAsync() => Task.FromResult(answer.Result);

        public Task ChallengeAsync(AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(AuthenticationProperties? properties) => Task.CompletedTask;
    }
}
