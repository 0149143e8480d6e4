using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace McpGateway.Sessions;

/// <summary>
/// Remembers, for a minute, what a session cookie decrypts to, so that a busy browser's requests do
/// not each pay for a data-protection decryption (a key derivation and an AES-GCM pass). The cookie
/// holds only the session reference: whether the session still exists is asked of the session store
/// on every request, so a logged-out or expired session is refused as before. Only cookies that
/// decrypted are kept; a forged one costs its decryption every time.
/// </summary>
internal sealed class SessionCookieFormatCache(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    public const int MaxEntries = 20_000;

    private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, purpose: null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText))
        {
            return inner.Unprotect(protectedText, purpose);
        }

        // A string key: the cookie itself when there is no purpose (as for the session cookie), so a lookup allocates nothing.
        var key = purpose is null ? protectedText : purpose + "\n" + protectedText;
        if (_tickets.TryGetValue(key, out AuthenticationTicket? cached))
        {
            return cached;
        }

        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is not null)
        {
            _tickets.Set(key, ticket, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }

        return ticket;
    }

    public void Dispose() => _tickets.Dispose();
}
