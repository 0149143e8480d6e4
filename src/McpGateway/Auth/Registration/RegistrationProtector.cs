using System.Security.Cryptography;
using System.Text.Json;
using McpGateway.Hosting;
using Microsoft.AspNetCore.DataProtection;

namespace McpGateway.Auth.Registration;

/// <summary>Serializes a stored registration with its client secret, registration access token and private key encrypted (data protection).</summary>
internal sealed class RegistrationProtector(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("McpGateway.Auth.Registration.v1");

    public byte[] Serialize(StoredRegistration registration)
        => JsonSerializer.SerializeToUtf8Bytes(
            new StoredRegistration(Protect(registration.Current), registration.Previous is null ? null : Protect(registration.Previous)),
            GatewayJsonContext.Default.StoredRegistration);

    /// <returns><see langword="null"/> when the data cannot be read or decrypted (then the gateway registers anew).</returns>
    public StoredRegistration? Deserialize(byte[] data)
    {
        try
        {
            var stored = JsonSerializer.Deserialize(data, GatewayJsonContext.Default.StoredRegistration);
            return stored?.Current is null ? null : new StoredRegistration(Unprotect(stored.Current), stored.Previous is null ? null : Unprotect(stored.Previous));
        }
        catch (Exception ex) when (ex is JsonException or CryptographicException or FormatException)
        {
            return null;
        }
    }

    private ClientRegistration Protect(ClientRegistration registration) => registration with
    {
        ClientSecret = registration.ClientSecret is null ? null : _protector.Protect(registration.ClientSecret),
        RegistrationAccessToken = registration.RegistrationAccessToken is null ? null : _protector.Protect(registration.RegistrationAccessToken),
        SigningKey = registration.SigningKey is null ? null : registration.SigningKey with { PrivateKey = _protector.Protect(registration.SigningKey.PrivateKey) },
    };

    private ClientRegistration Unprotect(ClientRegistration registration) => registration with
    {
        ClientSecret = registration.ClientSecret is null ? null : _protector.Unprotect(registration.ClientSecret),
        RegistrationAccessToken = registration.RegistrationAccessToken is null ? null : _protector.Unprotect(registration.RegistrationAccessToken),
        SigningKey = registration.SigningKey is null ? null : registration.SigningKey with { PrivateKey = _protector.Unprotect(registration.SigningKey.PrivateKey) },
    };
}
