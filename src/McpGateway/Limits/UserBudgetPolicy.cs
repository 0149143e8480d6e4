using System.Threading.RateLimiting;
using McpGateway.Sessions;
using Microsoft.AspNetCore.RateLimiting;

namespace McpGateway.Limits;

/// <summary>
/// A rate-limiting middleware policy: each signed-in user is a partition of one of the <see cref="UserRateLimits"/>
/// budgets. The partition is asked for on every request, so it is found without allocating: the user from the
/// session the cookie handler read, and one factory made here.
/// </summary>
internal sealed class UserBudgetPolicy : IRateLimiterPolicy<string>
{
    private readonly Func<string, RateLimiter> _factory;

    public UserBudgetPolicy(PartitionedRateLimiter<string> budget) => _factory = user => new UserPartitionLimiter(budget, user);

    /// <summary>Rejections are answered by the middleware's own <c>OnRejected</c> (429 JSON with <c>Retry-After</c>).</summary>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    // Endpoints under a limit require a session, so every caller here has a subject.
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        => RateLimitPartition.Get(ActiveSession.SubjectOf(httpContext) ?? "anonymous", _factory);
}
