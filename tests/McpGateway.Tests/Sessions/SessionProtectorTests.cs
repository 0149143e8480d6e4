using System.Security.Claims;
using System.Security.Cryptography;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace McpGateway.Tests.Sessions;

public sealed class SessionProtectorTests
{
    private static readonly SessionTokens Tokens = new()
    {
        AccessToken = "at-value",
        RefreshToken = "rt-value",
        IdToken = "id-value",
        AccessTokenExpiresAt = new DateTimeOffset(2025, 1, 1, 13, 0, 0, TimeSpan.FromHours(2)),
        ClientId = "client-1",
    };

    private readonly SessionProtector _protector = new(new EphemeralDataProtectionProvider());

    [Fact]
    public void Tokens_round_trip_with_every_field()
    {
        var restored = _protector.UnprotectTokens(_protector.Protect(Tokens));

        Assert.Equal(Tokens, restored);
    }

    [Fact]
    public void Ticket_round_trips_with_claims_and_properties()
    {
        var ticket = new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice"), new Claim("name", "Alice")], "oidc", "name", "role")),
            new AuthenticationProperties { IssuedUtc = DateTimeOffset.UnixEpoch, ExpiresUtc = DateTimeOffset.UnixEpoch.AddHours(8) },
            SessionCookie.Scheme);

        var restored = _protector.UnprotectTicket(_protector.Protect(ticket));

        Assert.NotNull(restored);
        Assert.Equal("alice", restored.Principal.FindFirst("sub")?.Value);
        Assert.Equal("Alice", restored.Principal.Identity?.Name);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddHours(8), restored.Properties.ExpiresUtc);
    }

    [Fact]
    public void Protected_ticket_cannot_be_read_as_tokens_nor_tokens_as_ticket()
    {
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")], "oidc")), SessionCookie.Scheme);

        Assert.Null(_protector.UnprotectTokens(_protector.Protect(ticket)));
        Assert.Null(_protector.UnprotectTicket(_protector.Protect(Tokens)));
    }

    [Fact]
    public void Data_protected_with_other_keys_is_unreadable()
    {
        var other = new SessionProtector(new EphemeralDataProtectionProvider());

        Assert.Null(_protector.UnprotectTokens(other.Protect(Tokens)));
    }

    [Fact]
    public void Random_bytes_are_unreadable()
    {
        Assert.Null(_protector.UnprotectTokens(RandomNumberGenerator.GetBytes(128)));
        Assert.Null(_protector.UnprotectTicket(RandomNumberGenerator.GetBytes(128)));
    }

    [Fact]
    public void Protecting_twice_gives_different_bytes()
        => Assert.NotEqual(_protector.Protect(Tokens), _protector.Protect(Tokens));
}
