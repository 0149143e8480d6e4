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
    public async Task Replicas_told_to_generate_the_certificate_write_one_between_them_encrypt_the_keys_and_read_each_others_sessions()
    {
        // A shared volume that is empty at first start, as in the compose stack.
        var pfx = Path.Combine(Directory.CreateTempSubdirectory("mcpgw-volume-").FullName, "keys", "dataprotection.pfx");
        var port = FreePort.Next();
        var settings = stack.Settings() with
        {
            PublicOrigin = new Uri("http://127.0.0.1:" + port),
            Extra = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = pfx, ["DataProtection:GenerateCertificate"] = "true" },
        };
        var starting = new[] { Task.Run(() => GatewayHost.Start(settings, port)), Task.Run(() => GatewayHost.Start(settings)) };
        var replicas = await Task.WhenAll(starting);
        await using var first = replicas[0];
        await using var second = replicas[1];
        await Task.WhenAll(first.WaitUntilReadyAsync(), second.WaitUntilReadyAsync());

        using var browser = first.CreateBrowser();
        await browser.LoginAsync("ines");
        using var viaSecond = second.CreateBrowser();
        viaSecond.Cookies.Add(browser.Cookies.GetCookies(first.BaseAddress));
        await viaSecond.AssertSignedInAsync("ines");

        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(pfx)!));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
        }

        using (var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx, password: null))
        {
            Assert.True(certificate.HasPrivateKey);
        }

        Assert.Equal(1, replicas.Count(replica => replica.Logs.Text.Contains("[1020]", StringComparison.Ordinal)));
        Assert.All(replicas, replica => Assert.DoesNotContain("without encryption", replica.Logs.Text, StringComparison.Ordinal));
        await using var redis = await stack.Redis.ConnectAsync();
        var xml = string.Join("\n", (await redis.GetDatabase().ListRangeAsync(settings.KeyPrefix + "dataprotection-keys")).Select(key => key.ToString()));
        Assert.Contains("EncryptedXml", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);

        // A later start finds the certificate and keeps it: the session survives.
        await first.DisposeAsync();
        await using var restarted = GatewayHost.Start(settings, port);
        await restarted.WaitUntilReadyAsync();
        await browser.AssertSignedInAsync("ines");
        Assert.DoesNotContain("[1020]", restarted.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_certificate_the_gateway_warns_that_the_keys_are_stored_in_clear()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();

        Assert.Contains("without encryption", gateway.Logs.Text, StringComparison.Ordinal);
    }
}
