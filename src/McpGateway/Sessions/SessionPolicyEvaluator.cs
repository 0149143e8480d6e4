using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace McpGateway.Sessions;

/// <summary>
/// The authorization middleware's policy evaluator, with one step for the gateway's own policy (the session scheme and
/// a signed-in user, nothing more): a request whose session is cached and needs nothing is authenticated by
/// <see cref="CachedSessionAuthentication"/> before any handler is made; otherwise the session scheme's result becomes
/// the request's as it is, without the framework evaluator's merged copy of the ticket. A signed-in user passes without
/// a run of the authorization handlers for a requirement that only asks "authenticated?". Every other policy, and every
/// request that is not signed in, goes to the framework's evaluator, so its answers (challenge, forbid) are the framework's.
/// </summary>
internal sealed class SessionPolicyEvaluator(CachedSessionAuthentication? cached = null, IClaimsTransformation? transformation = null) : IPolicyEvaluator
{
    /// <summary>The one step skips the authentication service, so only while it would not transform the principal.</summary>
    private readonly CachedSessionAuthentication? _cached = transformation is null or NoopClaimsTransformation ? cached : null;

    private static readonly Task<PolicyAuthorizationResult> Authorized = Task.FromResult(PolicyAuthorizationResult.Success());

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        if (!IsSessionPolicy(policy))
        {
            return Framework(context).AuthenticateAsync(policy, context);
        }

        var authenticating = _cached?.TryAuthenticate(context) ?? context.AuthenticateAsync(SessionCookie.Scheme);
        if (authenticating.IsCompletedSuccessfully && authenticating.Result is { Succeeded: true, Principal: { } principal })
        {
            context.User = principal;
            return authenticating;
        }

        return CompleteAsync(context, authenticating);
    }

    public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
        => IsSessionPolicy(policy) && authenticationResult.Succeeded && context.User.Identity is { IsAuthenticated: true }
            ? Authorized
            : Framework(context).AuthorizeAsync(policy, authenticationResult, context, resource);

    /// <summary>The policy of <see cref="SessionsFeature"/>: the session scheme, and no requirement but an authenticated user.</summary>
    public static bool IsSessionPolicy(AuthorizationPolicy policy)
        => policy.AuthenticationSchemes is [SessionCookie.Scheme] && policy.Requirements is [DenyAnonymousAuthorizationRequirement];

    private static async Task<AuthenticateResult> CompleteAsync(HttpContext context, Task<AuthenticateResult> authenticating)
    {
        var result = await authenticating;
        if (result is { Succeeded: true, Principal: { } principal })
        {
            context.User = principal;
            return result;
        }

        // As the framework's evaluator: a request the scheme did not authenticate is anonymous.
        context.User = new ClaimsPrincipal(new ClaimsIdentity());
        return AuthenticateResult.NoResult();
    }

    private static PolicyEvaluator Framework(HttpContext context) => context.RequestServices.GetRequiredService<PolicyEvaluator>();
}
