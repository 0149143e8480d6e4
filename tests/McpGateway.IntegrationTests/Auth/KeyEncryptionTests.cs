using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Auth;

[Collection(nameof(AuthStackCollection))]
public sealed class KeyEncryptionTests(AuthStack stack)
{
    [Fact]
    public async Task With_a_certificate_the_data_protection_keys_in_redis_are_encrypted_and_sessions_still_work()
    {
        var pfx = Path.Combine(Directory.CreateTempSubdirectory("mcpgw-cert-").FullName, "keys.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=mcpgw-data-protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        }

        var settings = stack.Settings() with
        {
            Extra = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = pfx, ["DataProtection:CertificatePassword"] = "test-password" },
        };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("nadia");
        await browser.AssertSignedInAsync("nadia");

        await using var redis = await stack.Redis.ConnectAsync();
        var keys = await redis.GetDatabase().ListRangeAsync(settings.KeyPrefix + "dataprotection-keys");
        var xml = string.Join("\n", keys.Select(key => key.ToString()));
        Assert.NotEmpty(keys);
        Assert.Contains("EncryptedXml", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("KeysNotEncrypted", gateway.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_certificate_the_gateway_warns_that_the_keys_are_stored_in_clear()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();

        Assert.Contains("without encryption", gateway.Logs.Text, StringComparison.Ordinal);
    }
}
