using System.Security.Cryptography;
using System.Text.Json;
using McpGateway.Sessions;
using Microsoft.AspNetCore.DataProtection;

namespace McpGateway.Connectors.Tokens;

/// <summary>Reads and writes a session's connector tokens, encrypted with data protection, inside the session itself.</summary>
internal sealed class ConnectorTokenStore(ISessionConnectorTokens sessions, IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("McpGateway.Connectors.Tokens.v1");

    public async Task<ConnectorTokens?> GetAsync(SessionId session, string connector, CancellationToken cancellationToken)
    {
        var data = await sessions.GetConnectorTokensAsync(session.StorageKey, connector, cancellationToken);
        return data is null ? null : Unprotect(data);
    }

    /// <returns><see langword="false"/> when the session has ended meanwhile (nothing is stored).</returns>
    public Task<bool> SaveAsync(SessionId session, string connector, ConnectorTokens tokens, CancellationToken cancellationToken)
        => sessions.SetConnectorTokensAsync(session.StorageKey, connector, _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(tokens, ConnectorsJsonContext.Default.ConnectorTokens)), cancellationToken);

    public Task RemoveAsync(SessionId session, string connector, CancellationToken cancellationToken)
        => sessions.RemoveConnectorTokensAsync(session.StorageKey, connector, cancellationToken);

    public async Task<IReadOnlyDictionary<string, ConnectorTokens>> GetAllAsync(SessionId session, CancellationToken cancellationToken)
    {
        var all = await sessions.GetAllConnectorTokensAsync(session.StorageKey, cancellationToken);
        return all.Select(pair => (pair.Key, Tokens: Unprotect(pair.Value)))
            .Where(pair => pair.Tokens is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Tokens!, StringComparer.Ordinal);
    }

    /// <returns><see langword="null"/> when the data cannot be decrypted (its key was lost): the user authorizes again.</returns>
    private ConnectorTokens? Unprotect(byte[] data)
    {
        try
        {
            return JsonSerializer.Deserialize(_protector.Unprotect(data), ConnectorsJsonContext.Default.ConnectorTokens);
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            return null;
        }
    }
}
