using Microsoft.Extensions.Options;

namespace McpGateway.Auth;

/// <summary>Warns at start-up about settings that are fine for a local stack and wrong in production.</summary>
internal sealed class AuthStartupWarnings(IOptions<AuthOptions> options, ILogger<AuthStartupWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.RequireHttpsMetadata)
        {
            AuthLog.HttpsMetadataNotRequired(logger, options.Value.Authority);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
