using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.Connectors.Authorization;

/// <summary>RFC 7636 with S256, the only method MCP allows; also the random state.</summary>
internal static class Pkce
{
    public const string Method = "S256";

    /// <summary>256 random bits, base64url (43 characters, within RFC 7636's 43–128).</summary>
    public static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>How the state is known in storage: its SHA-256, so reading Redis yields no usable state.</summary>
    public static string StorageKey(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
}
