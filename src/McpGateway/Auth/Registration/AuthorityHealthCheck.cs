using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpGateway.Auth.Registration;

/// <summary>Ready once the authorization server's metadata was read.</summary>
internal sealed class AuthorityHealthCheck(ClientRegistrationState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(state.AuthorityProblem is { } problem
            ? HealthCheckResult.Unhealthy(problem)
            : HealthCheckResult.Healthy("The authorization server's metadata was read."));
}
