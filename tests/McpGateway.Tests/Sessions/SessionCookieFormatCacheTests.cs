using System.Security.Claims;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace McpGateway.Tests.Sessions;

public sealed class SessionCookieFormatCacheTests
{
    private readonly CountingFormat _inner = new(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("test")));

    [Fact]
    public void A_cookie_is_decrypted_once_and_then_answered_from_memory()
    {
        using var cache = new SessionCookieFormatCache(_inner);
        var cookie = cache.Protect(Ticket("ref-1"));

        var first = cache.Unprotect(cookie);
        var second = cache.Unprotect(cookie);

        Assert.Equal("ref-1", first!.Principal.FindFirstValue("ref"));
        Assert.Same(first, second);
        Assert.Equal(1, _inner.Decryptions);
    }

    [Fact]
    public void A_forged_cookie_is_decrypted_and_refused_every_time()
    {
        using var cache = new SessionCookieFormatCache(_inner);
        var forged = cache.Protect(Ticket("ref-1"))[..^4] + "AAAA";

        Assert.Null(cache.Unprotect(forged));
        Assert.Null(cache.Unprotect(forged));
        Assert.Equal(2, _inner.Decryptions);
    }

    [Fact]
    public void Different_cookies_and_purposes_do_not_share_an_entry()
    {
        using var cache = new SessionCookieFormatCache(_inner);
        var alice = cache.Protect(Ticket("alice"));
        var bob = cache.Protect(Ticket("bob"));

        Assert.Equal("alice", cache.Unprotect(alice)!.Principal.FindFirstValue("ref"));
        Assert.Equal("bob", cache.Unprotect(bob)!.Principal.FindFirstValue("ref"));
        Assert.Null(cache.Unprotect(alice, "another purpose"));
        Assert.Equal(3, _inner.Decryptions);
    }

    private static AuthenticationTicket Ticket(string reference)
        => new(new ClaimsPrincipal(new ClaimsIdentity([new Claim("ref", reference)], "test")), "Cookies");

    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Decryptions { get; private set; }

        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Decryptions++;
            return inner.Unprotect(protectedText, purpose);
        }
    }
}
