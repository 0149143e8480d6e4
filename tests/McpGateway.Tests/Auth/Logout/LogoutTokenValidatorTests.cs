using McpGateway.Auth.Logout;
using McpGateway.Auth.Registration;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Tests.Auth.Logout;

public sealed class LogoutTokenValidatorTests : IDisposable
{
    private const string ClientId = "gateway-client";
    private const string PreviousClientId = "gateway-client-before-rotation";

    private readonly TestAuthority _authority = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ClientRegistrationState _registrations = new();
    private readonly LogoutTokenValidator _validator;

    public LogoutTokenValidatorTests()
    {
        _registrations.Publish(new StoredRegistration(
            new ClientRegistration { Issuer = TestAuthority.Issuer, ClientId = ClientId },
            new ClientRegistration { Issuer = TestAuthority.Issuer, ClientId = PreviousClientId }));
        _validator = new LogoutTokenValidator(_authority.Metadata, _registrations, _time);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => _time.GetUtcNow();

    public void Dispose() => _authority.Dispose();

    [Fact]
    public async Task Valid_token_with_sid_names_the_sid_subject_and_jti()
    {
        var logout = await _validator.ValidateAsync(Token(claims => claims["jti"] = "jti-1"), Cancellation);

        Assert.Equal(new LogoutToken("sid-1", "user-1", "jti-1"), logout);
    }

    [Fact]
    public async Task Valid_token_with_only_sub_ends_the_subject()
    {
        var logout = await _validator.ValidateAsync(Token(claims => claims.Remove("sid")), Cancellation);

        Assert.Null(logout.Sid);
        Assert.Equal("user-1", logout.Subject);
    }

    [Fact]
    public async Task Valid_token_with_only_sid_has_no_subject()
    {
        var logout = await _validator.ValidateAsync(Token(claims => claims.Remove("sub")), Cancellation);

        Assert.Equal("sid-1", logout.Sid);
        Assert.Null(logout.Subject);
    }

    [Fact]
    public async Task Empty_sid_counts_as_no_sid()
    {
        var logout = await _validator.ValidateAsync(Token(claims => claims["sid"] = ""), Cancellation);

        Assert.Null(logout.Sid);
        Assert.Equal("user-1", logout.Subject);
    }

    [Fact]
    public async Task Token_for_the_previous_client_is_accepted_while_its_sessions_may_live()
        => Assert.NotNull(await _validator.ValidateAsync(Token(claims => claims["aud"] = PreviousClientId), Cancellation));

    [Fact]
    public async Task Token_with_an_audience_array_including_the_client_is_accepted()
        => Assert.NotNull(await _validator.ValidateAsync(Token(claims => claims["aud"] = new[] { "someone-else", ClientId }), Cancellation));

    [Fact]
    public async Task Token_issued_a_little_in_the_future_within_clock_skew_is_accepted()
        => Assert.NotNull(await _validator.ValidateAsync(Token(claims =>
        {
            claims["iat"] = Now.AddSeconds(90).ToUnixTimeSeconds();
            claims["nbf"] = Now.AddSeconds(90).ToUnixTimeSeconds();
        }), Cancellation));

    [Fact]
    public async Task Token_expired_within_clock_skew_is_accepted()
        => Assert.NotNull(await _validator.ValidateAsync(Token(claims => claims["exp"] = Now.AddSeconds(-90).ToUnixTimeSeconds()), Cancellation));

    [Fact]
    public async Task Wrong_issuer_is_refused()
        => await AssertRefusedAsync(Token(claims => claims["iss"] = "https://evil.test"));

    [Fact]
    public async Task Issuer_differing_only_by_a_trailing_slash_is_refused()
        => await AssertRefusedAsync(Token(claims => claims["iss"] = TestAuthority.Issuer + "/"));

    [Fact]
    public async Task Wrong_audience_is_refused()
        => await AssertRefusedAsync(Token(claims => claims["aud"] = "another-client"));

    [Fact]
    public async Task Token_without_audience_is_refused()
        => await AssertRefusedAsync(Token(claims => claims.Remove("aud")));

    [Fact]
    public async Task Any_token_is_refused_before_a_client_is_registered()
    {
        var validator = new LogoutTokenValidator(_authority.Metadata, new ClientRegistrationState(), _time);

        await Assert.ThrowsAsync<SecurityTokenException>(() => validator.ValidateAsync(Token(), Cancellation));
    }

    [Fact]
    public async Task Expired_token_is_refused()
        => await AssertRefusedAsync(Token(claims => claims["exp"] = Now.AddMinutes(-3).ToUnixTimeSeconds()));

    [Fact]
    public async Task Token_not_yet_valid_is_refused()
        => await AssertRefusedAsync(Token(claims => claims["nbf"] = Now.AddMinutes(5).ToUnixTimeSeconds()));

    [Fact]
    public async Task Token_signed_by_an_unknown_key_with_the_known_key_id_is_refused()
    {
        var impostor = TestAuthority.NewKey(_authority.SigningKey.KeyId);

        await AssertRefusedAsync(Token(credentials: new SigningCredentials(impostor, SecurityAlgorithms.RsaSha256)));
    }

    [Fact]
    public async Task Token_signed_by_an_unpublished_key_is_refused()
    {
        var unpublished = TestAuthority.NewKey("key-unpublished");

        await AssertRefusedAsync(Token(credentials: new SigningCredentials(unpublished, SecurityAlgorithms.RsaSha256)));
    }

    [Fact]
    public async Task Token_with_a_tampered_payload_is_refused()
    {
        var token = Token();
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("sid-1", "sid-2", StringComparison.Ordinal);

        await AssertRefusedAsync($"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}");
    }

    [Fact]
    public async Task Unsigned_token_is_refused()
        => await AssertRefusedAsync(Token(credentials: null, unsigned: true));

    [Fact]
    public async Task Token_signed_with_a_shared_secret_is_refused()
    {
        var key = new SymmetricSecurityKey(new byte[32]) { KeyId = _authority.SigningKey.KeyId };

        await AssertRefusedAsync(Token(credentials: new SigningCredentials(key, SecurityAlgorithms.HmacSha256)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public async Task Malformed_token_is_refused(string token)
        => await AssertRefusedAsync(token);

    [Fact]
    public async Task Token_without_events_claim_is_refused()
        => await AssertRefusedAsync(Token(claims => claims.Remove("events")));

    [Fact]
    public async Task Token_whose_events_claim_is_not_an_object_is_refused()
        => await AssertRefusedAsync(Token(claims => claims["events"] = LogoutTokenValidator.BackChannelLogoutEvent));

    [Fact]
    public async Task Token_whose_events_lack_the_back_channel_logout_member_is_refused()
        => await AssertRefusedAsync(Token(claims => claims["events"] = new Dictionary<string, object>
        {
            ["http://schemas.openid.net/event/some-other-event"] = new Dictionary<string, object>(),
        }));

    [Fact]
    public async Task Token_with_a_nonce_is_refused()
        => await AssertRefusedAsync(Token(claims => claims["nonce"] = "n-0S6_WzA2Mj"));

    [Fact]
    public async Task Token_without_sid_and_sub_is_refused()
        => await AssertRefusedAsync(Token(claims =>
        {
            claims.Remove("sid");
            claims.Remove("sub");
        }));

    [Fact]
    public async Task Token_without_jti_is_refused()
        => await AssertRefusedAsync(Token(claims => claims.Remove("jti")));

    [Fact]
    public async Task Token_without_iat_is_refused()
        => await AssertRefusedAsync(Token(claims => claims.Remove("iat")));

    [Fact]
    public async Task Token_without_exp_is_refused()
        => await AssertRefusedAsync(Token(claims => claims.Remove("exp")));

    [Fact]
    public async Task Logout_token_cannot_be_replayed_after_the_jti_window()
    {
        var usedJtis = new InMemoryOneTimeKeys(_time);
        var replayWindow = TimeSpan.FromMinutes(10);
        var token = Token(claims => claims["exp"] = Now.AddHours(1).ToUnixTimeSeconds());

        var first = await _validator.ValidateAsync(token, Cancellation);
        Assert.True(await usedJtis.TryUseAsync("logout-jti:" + first.Jti, replayWindow, Cancellation));

        _time.Advance(replayWindow + TimeSpan.FromMinutes(1));
        var replayAccepted = await IsAcceptedAsync(token) && await usedJtis.TryUseAsync("logout-jti:" + first.Jti, replayWindow, Cancellation);

        Assert.False(replayAccepted);
    }

    [Fact]
    public async Task Token_signed_by_an_unknown_key_is_refused_as_such()
    {
        var exception = await Assert.ThrowsAnyAsync<SecurityTokenException>(() => _validator.ValidateAsync(
            Token(credentials: new SigningCredentials(TestAuthority.NewKey("key-unpublished"), SecurityAlgorithms.RsaSha256)), Cancellation));

        Assert.Contains(nameof(SecurityTokenSignatureKeyNotFoundException), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_signed_with_a_key_rotated_in_after_the_metadata_was_read_is_accepted()
    {
        await _validator.ValidateAsync(Token(), Cancellation);
        var rotated = TestAuthority.NewKey("key-2");
        _authority.Publish(rotated);

        var logout = await _validator.ValidateAsync(Token(credentials: new SigningCredentials(rotated, SecurityAlgorithms.RsaSha256)), Cancellation);

        Assert.Equal("sid-1", logout.Sid);
        // One forced re-read for the new key, and at most one more: the cached metadata catching up in the background.
        Assert.InRange(_authority.DiscoveryReads, 2, 3);
    }

    [Fact]
    public async Task Refusal_message_says_why_without_echoing_the_token()
    {
        var token = Token(claims => claims["iss"] = "https://evil.test");

        var exception = await Assert.ThrowsAnyAsync<SecurityTokenException>(() => _validator.ValidateAsync(token, Cancellation));

        Assert.DoesNotContain(token, exception.Message, StringComparison.Ordinal);
        Assert.Contains("Issuer", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_is_read_once_for_many_tokens()
    {
        for (var i = 0; i < 5; i++)
        {
            await _validator.ValidateAsync(Token(), Cancellation);
        }

        Assert.Equal(1, _authority.DiscoveryReads);
    }

    private async Task<bool> IsAcceptedAsync(string token)
    {
        try
        {
            await _validator.ValidateAsync(token, Cancellation);
            return true;
        }
        catch (SecurityTokenException)
        {
            return false;
        }
    }

    private async Task AssertRefusedAsync(string token)
        => await Assert.ThrowsAnyAsync<SecurityTokenException>(() => _validator.ValidateAsync(token, Cancellation));

    /// <summary>A valid logout token (OpenID Connect Back-Channel Logout 1.0 §2.4), changed by <paramref name="edit"/>.</summary>
    private string Token(Action<Dictionary<string, object>>? edit = null, SigningCredentials? credentials = null, bool unsigned = false)
    {
        var claims = new Dictionary<string, object>
        {
            ["iss"] = TestAuthority.Issuer,
            ["aud"] = ClientId,
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["exp"] = Now.AddMinutes(2).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["sub"] = "user-1",
            ["sid"] = "sid-1",
            ["events"] = new Dictionary<string, object> { [LogoutTokenValidator.BackChannelLogoutEvent] = new Dictionary<string, object>() },
        };
        edit?.Invoke(claims);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            TokenType = "logout+jwt",
            SigningCredentials = unsigned ? null : credentials ?? _authority.Credentials,
        });
    }
}
