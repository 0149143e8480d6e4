using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace McpGateway.Connectors.Authorization;

/// <summary>Encrypts an authorization in progress (it holds the PKCE verifier) with data protection.</summary>
internal sealed class PendingAuthorizationProtector(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("McpGateway.Connectors.PendingAuthorization.v1");

    public byte[] Protect(PendingAuthorization flow) => _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(flow, ConnectorsJsonContext.Default.PendingAuthorization));

    public PendingAuthorization? Unprotect(byte[] data)
    {
        try
        {
            return JsonSerializer.Deserialize(_protector.Unprotect(data), ConnectorsJsonContext.Default.PendingAuthorization);
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            return null;
        }
    }
}
