using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpGateway.Storage;

/// <summary>
/// Where the gateway keeps its state: Redis when <c>Redis:Configuration</c> is set (sessions,
/// data-protection keys, the client registration, locks), otherwise in-memory stores for one instance.
/// </summary>
internal static class StorageFeature
{
    public const string DataProtectionApplicationName = "McpGateway";

    public static IHostApplicationBuilder AddGatewayStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        services.AddSingleton<RedisKeyspace>();
        services.AddHostedService<StorageModeReporter>();

        services.AddOptions<GatewayDataProtectionOptions>().BindConfiguration(GatewayDataProtectionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayDataProtectionOptions>, GatewayDataProtectionOptionsValidator>();
        // AES-256-GCM (the platform's AesGcm) instead of the default CBC + HMAC: one authenticated pass per cookie read.
        var dataProtection = services.AddDataProtection().SetApplicationName(DataProtectionApplicationName)
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
            });
        var keyEncryption = builder.Configuration.GetSection(GatewayDataProtectionOptions.SectionName).Get<GatewayDataProtectionOptions>() ?? new();
        if (KeyEncryptionCertificate.EnsureExists(keyEncryption, TimeProvider.System))
        {
            services.AddSingleton(new GeneratedKeyEncryptionCertificate(keyEncryption.CertificatePath!));
        }

        if (keyEncryption.EncryptsKeys && File.Exists(keyEncryption.CertificatePath))
        {
            dataProtection.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(keyEncryption.CertificatePath, keyEncryption.CertificatePassword));
        }

        if (!builder.UsesRedis())
        {
            services.AddSingleton<IGatewayLocks, InMemoryGatewayLocks>();
            services.AddSingleton<IOneTimeKeys, InMemoryOneTimeKeys>();
            services.AddSingleton<IGatewayEventBus, InMemoryEventBus>();
            return builder;
        }

        services.AddSingleton<IConnectionMultiplexer>(sp => Connect(sp.GetRequiredService<IOptions<RedisOptions>>().Value, sp.GetRequiredService<ILogger<RedisOptions>>()));
        services.AddSingleton<IGatewayLocks, RedisGatewayLocks>();
        services.AddSingleton<IOneTimeKeys, RedisOneTimeKeys>();
        services.AddSingleton<IGatewayEventBus, RedisEventBus>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);

        // Keys in Redis: a session cookie issued by one replica is read by every other, and after a restart.
        dataProtection.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer, RedisKeyspace>((options, connection, keys) =>
                options.XmlRepository = new RedisXmlRepository(() => connection.GetDatabase(), keys.Key("dataprotection-keys")));
        return builder;
    }

    /// <summary>Registers a store: its Redis implementation, or the in-memory one in single-instance mode.</summary>
    public static IHostApplicationBuilder AddStore<TStore, TRedis, TInMemory>(this IHostApplicationBuilder builder)
        where TStore : class
        where TRedis : class, TStore
        where TInMemory : class, TStore
    {
        if (builder.UsesRedis())
        {
            builder.Services.AddSingleton<TStore, TRedis>();
        }
        else
        {
            builder.Services.AddSingleton<TStore, TInMemory>();
        }

        return builder;
    }

    /// <summary>Whether state goes to Redis (<c>Redis:Configuration</c> set) or stays in this process.</summary>
    public static bool UsesRedis(this IHostApplicationBuilder builder)
        => (builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions()).IsConfigured;

    private static ConnectionMultiplexer Connect(RedisOptions options, ILogger logger)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        // Start even when Redis is down, reconnect in the background, and fail commands at once while
        // it is away so that callers answer 503 instead of hanging.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "mcp-gateway";
        var connection = ConnectionMultiplexer.Connect(configuration);
        connection.ConnectionFailed += (_, e) => StorageLog.RedisConnectionFailed(logger, e.FailureType.ToString(), e.EndPoint?.ToString() ?? "?");
        connection.ConnectionRestored += (_, e) => StorageLog.RedisConnectionRestored(logger, e.EndPoint?.ToString() ?? "?");
        return connection;
    }
}
