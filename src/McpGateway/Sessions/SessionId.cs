using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.Sessions;

/// <summary>
/// The opaque reference a session cookie carries (256 random bits). It is a bearer secret: it is never
/// logged, and Redis keys use its SHA-256 (<see cref="StorageKey"/>) so that reading Redis does not
/// yield usable references.
/// </summary>
internal readonly record struct SessionId
{
    // Keyed by the id string itself: a busy cookie's requests all parse the same string instance (the cookie
    // ticket is cached), so its digest is computed once, and the entry goes when that string is collected.
    private static readonly ConditionalWeakTable<string, string> StorageKeys = new();

    private SessionId(string value) => Value = value;

    public string Value { get; }

    public string StorageKey => StorageKeys.GetValue(Value, static value => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))));

    public static SessionId New() => new(WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32)));

    public static SessionId Parse(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return new SessionId(value);
    }

    /// <summary>Never prints the secret value.</summary>
    public override string ToString() => Describe(StorageKey);

    /// <summary>How logs name a session known only by its storage key.</summary>
    public static string Describe(string storageKey) => "session:" + storageKey[..Math.Min(12, storageKey.Length)];
}
