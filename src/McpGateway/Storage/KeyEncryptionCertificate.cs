using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace McpGateway.Storage;

/// <summary>
/// The certificate whose key encrypts the data-protection keys at rest. With
/// <see cref="GatewayDataProtectionOptions.GenerateCertificate"/> the first replica to start writes a
/// self-signed one to <see cref="GatewayDataProtectionOptions.CertificatePath"/> (a volume the replicas
/// share); a replica that loses the race to write it uses the winner's.
/// </summary>
internal static class KeyEncryptionCertificate
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    /// <summary>Writes a new certificate when one is wanted and the file is missing; true when this call wrote it.</summary>
    public static bool EnsureExists(GatewayDataProtectionOptions options, TimeProvider time)
    {
        if (!options.GenerateCertificate || !options.EncryptsKeys || File.Exists(options.CertificatePath))
        {
            return false;
        }

        var path = Path.GetFullPath(options.CertificatePath!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var pending = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(pending, fileOptions))
            {
                file.Write(Create(options.CertificatePassword, time.GetUtcNow()));
            }

            // Atomic and never overwriting: of two replicas starting at once, one certificate wins and both use it.
            File.Move(pending, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(pending);
        }
    }

    private static byte[] Create(string? password, DateTimeOffset now)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=McpGateway data-protection key encryption", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
        return certificate.Export(X509ContentType.Pfx, password);
    }
}
