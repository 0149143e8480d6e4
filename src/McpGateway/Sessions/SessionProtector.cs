using System.Security.Cryptography;
using System.Text.Json;
using McpGateway.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace McpGateway.Sessions;

/// <summary>Encrypts what a session stores (ASP.NET Core data protection), so Redis never holds a token in clear text.</summary>
internal sealed class SessionProtector(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _ticket = dataProtection.CreateProtector("McpGateway.Sessions.Ticket.v1");
    private readonly IDataProtector _tokens = dataProtection.CreateProtector("McpGateway.Sessions.Tokens.v1");

    public byte[] Protect(AuthenticationTicket ticket) => _ticket.Protect(TicketSerializer.Default.Serialize(ticket));

    public byte[] Protect(SessionTokens tokens)
        => _tokens.Protect(JsonSerializer.SerializeToUtf8Bytes(tokens, GatewayJsonContext.Default.SessionTokens));

    /// <returns><see langword="null"/> when the data cannot be decrypted (e.g. its key was lost).</returns>
    public AuthenticationTicket? UnprotectTicket(byte[] data)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(_ticket.Unprotect(data));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <returns><see langword="null"/> when the data cannot be decrypted (e.g. its key was lost).</returns>
    public SessionTokens? UnprotectTokens(byte[] data)
    {
        try
        {
            return JsonSerializer.Deserialize(_tokens.Unprotect(data), GatewayJsonContext.Default.SessionTokens);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
