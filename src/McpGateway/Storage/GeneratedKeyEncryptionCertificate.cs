namespace McpGateway.Storage;

/// <summary>Present when this start wrote the key-encryption certificate (<see cref="KeyEncryptionCertificate"/>), so it can be reported.</summary>
internal sealed record GeneratedKeyEncryptionCertificate(string Path);
