using McpGateway.Sessions;

namespace McpGateway.Tests.Sessions;

public sealed class SessionTokensTests
{
    private static readonly DateTimeOffset ExpiresAt = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(-3600, false)]
    [InlineData(-61, false)]
    [InlineData(-60, true)]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(3600, true)]
    public void Expires_within_the_margin_from_margin_before_expiry_on(int secondsFromExpiry, bool expected)
        => Assert.Equal(expected, Tokens().ExpiresWithin(Margin, ExpiresAt.AddSeconds(secondsFromExpiry)));

    [Fact]
    public void Zero_margin_means_expired_at_the_expiry_instant_and_not_before()
    {
        Assert.False(Tokens().ExpiresWithin(TimeSpan.Zero, ExpiresAt.AddTicks(-1)));
        Assert.True(Tokens().ExpiresWithin(TimeSpan.Zero, ExpiresAt));
    }

    [Fact]
    public void Comparison_is_by_instant_not_by_offset()
    {
        var inParis = ExpiresAt.ToOffset(TimeSpan.FromHours(1));

        Assert.False(Tokens().ExpiresWithin(Margin, inParis.AddMinutes(-2)));
        Assert.True(Tokens().ExpiresWithin(Margin, inParis.AddSeconds(-30)));
    }

    private static SessionTokens Tokens() => new() { AccessToken = "at", AccessTokenExpiresAt = ExpiresAt, ClientId = "client" };
}
