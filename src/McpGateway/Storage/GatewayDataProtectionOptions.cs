namespace McpGateway.Storage;

/// <summary>
/// The <c>DataProtection</c> configuration section. The keys that encrypt sessions and the client
/// secret live in Redis; with a certificate they are themselves encrypted there, so that reading
/// Redis is not enough to read a session.
/// </summary>
internal sealed class GatewayDataProtectionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file whose key encrypts the data-protection keys at rest.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>
    /// When the file at <see cref="CertificatePath"/> is missing at start-up, write a new self-signed certificate
    /// there (0600) instead of refusing to start: key encryption with nothing to provision, e.g. on a volume in compose.
    /// </summary>
    public bool GenerateCertificate { get; set; }

    public bool EncryptsKeys => !string.IsNullOrWhiteSpace(CertificatePath);
}
