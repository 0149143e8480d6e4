using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace McpGateway.Storage;

internal sealed class GatewayDataProtectionOptionsValidator : IValidateOptions<GatewayDataProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayDataProtectionOptions options)
    {
        if (!options.EncryptsKeys)
        {
            return ValidateOptionsResult.Success;
        }

        if (!File.Exists(options.CertificatePath))
        {
            return ValidateOptionsResult.Fail($"DataProtection:CertificatePath names no file: '{options.CertificatePath}'.");
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
            return certificate.HasPrivateKey
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("DataProtection:CertificatePath must hold a private key (a .pfx), so that the keys can be decrypted.");
        }
        catch (CryptographicException)
        {
            return ValidateOptionsResult.Fail("DataProtection:CertificatePath could not be opened as PKCS#12 with DataProtection:CertificatePassword.");
        }
    }
}
