using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpGateway.Auth.Registration;

/// <summary>Ready once a client is registered (or configured) and usable.</summary>
internal sealed class RegistrationHealthCheck(ClientRegistrationState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(state.Current is { } client && state.RegistrationProblem is null
            ? HealthCheckResult.Healthy($"Client {client.ClientId} is {(client.Preconfigured ? "configured" : "registered")}.")
            : HealthCheckResult.Unhealthy(state.RegistrationProblem ?? "The client is not registered yet."));
}
