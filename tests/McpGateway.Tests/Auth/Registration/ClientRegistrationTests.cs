using McpGateway.Auth.Registration;

namespace McpGateway.Tests.Auth.Registration;

public sealed class ClientRegistrationTests
{
    private static readonly DateTimeOffset Issued = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Secret_without_expiry_never_needs_renewal()
        => Assert.False(Client(expires: null).NeedsRenewal(DateTimeOffset.MaxValue));

    [Fact]
    public void Long_lived_secret_is_renewed_five_minutes_before_it_expires()
    {
        var client = Client(expires: Issued.AddDays(30));

        Assert.Equal(TimeSpan.FromMinutes(5), client.RenewalMargin);
        Assert.False(client.NeedsRenewal(Issued.AddDays(30).AddMinutes(-5).AddSeconds(-1)));
        Assert.True(client.NeedsRenewal(Issued.AddDays(30).AddMinutes(-5)));
    }

    [Fact]
    public void Short_lived_secret_is_renewed_a_tenth_of_its_lifetime_before_expiry_not_at_once()
    {
        var client = Client(expires: Issued.AddMinutes(10));

        Assert.Equal(TimeSpan.FromMinutes(1), client.RenewalMargin);
        Assert.False(client.NeedsRenewal(Issued));
        Assert.False(client.NeedsRenewal(Issued.AddMinutes(8).AddSeconds(59)));
        Assert.True(client.NeedsRenewal(Issued.AddMinutes(9)));
    }

    [Fact]
    public void Secret_of_unknown_issue_time_uses_the_five_minute_margin()
        => Assert.Equal(TimeSpan.FromMinutes(5), Client(expires: Issued.AddMinutes(10), issueTimeKnown: false).RenewalMargin);

    [Fact]
    public void Secret_expiring_before_it_was_issued_uses_the_five_minute_margin()
        => Assert.Equal(TimeSpan.FromMinutes(5), Client(expires: Issued.AddMinutes(-1)).RenewalMargin);

    [Fact]
    public void Expired_secret_needs_renewal()
        => Assert.True(Client(expires: Issued.AddDays(1)).NeedsRenewal(Issued.AddDays(2)));

    [Theory]
    [InlineData("https://idp/reg/c", "rat", false, true)]
    [InlineData(null, "rat", false, false)]
    [InlineData("https://idp/reg/c", null, false, false)]
    [InlineData("https://idp/reg/c", "rat", true, false)]
    public void Only_a_registered_client_with_uri_and_token_is_manageable(string? uri, string? token, bool preconfigured, bool expected)
        => Assert.Equal(expected, (Client(expires: null) with { RegistrationClientUri = uri, RegistrationAccessToken = token, Preconfigured = preconfigured }).IsManageable);

    private static ClientRegistration Client(DateTimeOffset? expires, bool issueTimeKnown = true)
        => new()
        {
            Issuer = "https://idp",
            ClientId = "c",
            ClientSecret = "s",
            ClientIdIssuedAt = issueTimeKnown ? Issued : null,
            ClientSecretExpiresAt = expires,
        };
}
