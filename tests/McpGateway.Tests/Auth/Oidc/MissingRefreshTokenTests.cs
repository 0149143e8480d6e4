using McpGateway.Auth;
using McpGateway.Auth.Oidc;

namespace McpGateway.Tests.Auth.Oidc;

public sealed class MissingRefreshTokenTests
{
    [Fact]
    public void Nothing_is_missing_when_a_refresh_token_came()
        => Assert.Null(MissingRefreshToken.Cause(new AuthOptions(), "openid profile", refreshTokenIssued: true));

    [Fact]
    public void Nothing_is_missing_when_offline_access_was_not_asked_for()
        => Assert.Null(MissingRefreshToken.Cause(new AuthOptions { Scopes = "openid profile" }, "openid profile", refreshTokenIssued: false));

    [Fact]
    public void Offline_access_dropped_without_consent_names_the_prompt_rule_and_the_setting()
    {
        var cause = MissingRefreshToken.Cause(new AuthOptions { Prompt = "none" }, "openid profile", refreshTokenIssued: false);

        Assert.NotNull(cause);
        Assert.Contains("did not grant offline_access (granted scope 'openid profile')", cause, StringComparison.Ordinal);
        Assert.Contains("prompt=consent", cause, StringComparison.Ordinal);
        Assert.Contains("Auth:Prompt is 'none'", cause, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_access_dropped_despite_consent_blames_the_provider_policy_not_the_setting()
    {
        var cause = MissingRefreshToken.Cause(new AuthOptions(), "openid", refreshTokenIssued: false);

        Assert.NotNull(cause);
        Assert.Contains("may not allow offline access", cause, StringComparison.Ordinal);
        Assert.DoesNotContain("Auth:Prompt", cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openid profile offline_access")]
    [InlineData(null)]
    public void Offline_access_granted_without_a_refresh_token_points_at_the_client_grant_types(string? scope)
        => Assert.Contains("refresh_token grant", MissingRefreshToken.Cause(new AuthOptions(), scope, refreshTokenIssued: false), StringComparison.Ordinal);
}
