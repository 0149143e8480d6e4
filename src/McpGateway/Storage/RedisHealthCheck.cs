using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace McpGateway.Storage;

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis is not connected; reconnecting.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"Redis answered PING in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Unhealthy($"Redis did not answer PING: {ex.GetType().Name}.");
        }
    }
}
