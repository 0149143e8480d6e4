using Microsoft.Extensions.Options;

namespace McpGateway.Storage;

/// <summary>Says at start-up which stores the gateway runs on, so an operator sees single-instance mode at once.</summary>
internal sealed class StorageModeReporter(
    IOptions<RedisOptions> options, IOptions<GatewayDataProtectionOptions> keys, ILogger<StorageModeReporter> logger,
    GeneratedKeyEncryptionCertificate? generated = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (generated is not null)
        {
            StorageLog.KeyEncryptionCertificateGenerated(logger, generated.Path);
        }

        if (options.Value.IsConfigured)
        {
            StorageLog.RedisMode(logger, options.Value.KeyPrefix);
            if (!keys.Value.EncryptsKeys)
            {
                StorageLog.KeysNotEncrypted(logger);
            }
        }
        else
        {
            StorageLog.InMemoryMode(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
