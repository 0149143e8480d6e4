namespace McpGateway.Storage;

/// <summary>Storage log messages; event ids 1000–1099.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(1000, LogLevel.Warning,
        "Redis:Configuration is empty: running as a single instance on in-memory stores. Sessions, the client registration and data-protection keys are lost when the process stops, and replicas do not share them.",
        EventName = "InMemoryMode")]
    public static partial void InMemoryMode(ILogger logger);

    [LoggerMessage(1001, LogLevel.Information, "State is kept in Redis under the key prefix {KeyPrefix}.", EventName = "RedisMode")]
    public static partial void RedisMode(ILogger logger, string keyPrefix);

    [LoggerMessage(1002, LogLevel.Warning, "Redis connection failed ({FailureType} at {EndPoint}); the gateway answers 503 until it returns.", EventName = "RedisConnectionFailed")]
    public static partial void RedisConnectionFailed(ILogger logger, string failureType, string endPoint);

    [LoggerMessage(1003, LogLevel.Information, "Redis connection restored at {EndPoint}.", EventName = "RedisConnectionRestored")]
    public static partial void RedisConnectionRestored(ILogger logger, string endPoint);

    [LoggerMessage(1004, LogLevel.Error, "A handler of the gateway event {EventType} failed.", EventName = "EventHandlerFailed")]
    public static partial void EventHandlerFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(1005, LogLevel.Warning, "An unreadable message arrived on the gateway's event channel and was ignored.", EventName = "EventUnreadable")]
    public static partial void EventUnreadable(ILogger logger);

    [LoggerMessage(1006, LogLevel.Warning, "The data-protection keys are stored in Redis without encryption: whoever can read Redis can decrypt sessions. Set DataProtection:CertificatePath to encrypt them.", EventName = "KeysNotEncrypted")]
    public static partial void KeysNotEncrypted(ILogger logger);

    [LoggerMessage(1020, LogLevel.Information, "Generated the certificate that encrypts the data-protection keys at rest: {Path}. Keep that file with the replicas (a volume); without it the sessions cannot be read.", EventName = "KeyEncryptionCertificateGenerated")]
    public static partial void KeyEncryptionCertificateGenerated(ILogger logger, string path);
}
