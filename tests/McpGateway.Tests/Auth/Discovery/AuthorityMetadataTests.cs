using McpGateway.Auth;
using McpGateway.Auth.Discovery;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Tests.Auth.Discovery;

public sealed class AuthorityMetadataTests : IDisposable
{
    private readonly TestAuthority _authority = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly AuthorityMetadata _metadata;

    public AuthorityMetadataTests()
        => _metadata = new AuthorityMetadata(
            Options.Create(new AuthOptions { Authority = TestAuthority.Issuer, RequireHttpsMetadata = true }), _authority.HttpClients, _time);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _metadata.Dispose();
        _authority.Dispose();
    }

    /// <summary>
    /// What the OpenID Connect handler does with an ID token: validate it with the metadata as configuration
    /// manager. On an unknown kid the token handler asks for a refresh and validates once more; that retry
    /// must already see the rotated key, or the first sign-in after a key rotation fails.
    /// </summary>
    [Fact]
    public async Task Token_signed_with_a_key_published_after_the_metadata_was_read_validates_on_the_first_attempt()
    {
        Assert.True((await ValidateAsync(IdToken(_authority.Credentials))).IsValid);
        var rotated = TestAuthority.NewKey("key-2");
        _authority.Publish(rotated);

        var result = await ValidateAsync(IdToken(new SigningCredentials(rotated, SecurityAlgorithms.RsaSha256)));

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(2, _authority.DiscoveryReads);
    }

    [Fact]
    public async Task Token_signed_with_an_unpublished_key_is_refused_and_rereads_at_most_once_per_interval()
    {
        await _metadata.GetAsync(Cancellation);
        var forged = IdToken(new SigningCredentials(TestAuthority.NewKey("key-forged"), SecurityAlgorithms.RsaSha256));

        for (var i = 0; i < 5; i++)
        {
            Assert.IsType<SecurityTokenSignatureKeyNotFoundException>((await ValidateAsync(forged)).Exception);
        }

        Assert.Equal(2, _authority.DiscoveryReads);

        _time.Advance(AuthorityMetadata.MinimumForcedRefreshInterval);
        Assert.False((await ValidateAsync(forged)).IsValid);
        Assert.Equal(3, _authority.DiscoveryReads);
    }

    [Fact]
    public async Task Metadata_is_read_once_and_served_from_the_cache()
    {
        var first = await _metadata.GetAsync(Cancellation);
        var second = await _metadata.GetAsync(Cancellation);

        Assert.Same(first, second);
        Assert.Equal(1, _authority.DiscoveryReads);
    }

    [Fact]
    public async Task A_requested_refresh_is_awaited_by_the_next_reader()
    {
        var before = await _metadata.GetAsync(Cancellation);
        _authority.Publish(TestAuthority.NewKey("key-2"));

        _metadata.RequestRefresh();
        var after = await _metadata.GetAsync(Cancellation);

        Assert.NotSame(before, after);
        Assert.Contains(after.SigningKeys, key => key.KeyId == "key-2");
    }

    [Fact]
    public async Task Metadata_is_read_again_after_the_automatic_refresh_interval()
    {
        await _metadata.GetAsync(Cancellation);

        _time.Advance(_metadata.AutomaticRefreshInterval);
        await _metadata.GetAsync(Cancellation);

        Assert.Equal(2, _authority.DiscoveryReads);
    }

    [Fact]
    public async Task Stale_metadata_is_served_while_the_authorization_server_is_away_and_read_again_later()
    {
        var cached = await _metadata.GetAsync(Cancellation);
        _authority.DiscoveryAvailable = false;

        var whileAway = await _metadata.RefreshAsync(Cancellation);
        Assert.Same(cached, whileAway);

        _authority.DiscoveryAvailable = true;
        _time.Advance(AuthorityMetadata.MinimumForcedRefreshInterval);
        Assert.NotSame(cached, await _metadata.GetAsync(Cancellation));
    }

    [Fact]
    public async Task Without_any_metadata_a_failed_read_says_where_it_read_from()
    {
        _authority.DiscoveryAvailable = false;

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => _metadata.GetAsync(Cancellation));

        Assert.Contains(TestAuthority.Issuer + "/.well-known/openid-configuration", exception.Message, StringComparison.Ordinal);
        Assert.NotNull(exception.InnerException);
    }

    private Task<TokenValidationResult> ValidateAsync(string token)
        => new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidAudience = "client-1",
            ConfigurationManager = _metadata,
        });

    private string IdToken(SigningCredentials credentials)
    {
        var now = _time.GetUtcNow();
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["iss"] = TestAuthority.Issuer,
                ["aud"] = "client-1",
                ["sub"] = "user-1",
                ["iat"] = now.ToUnixTimeSeconds(),
                ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
            },
            SigningCredentials = credentials,
        });
    }
}
