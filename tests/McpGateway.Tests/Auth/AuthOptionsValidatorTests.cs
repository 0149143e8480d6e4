using McpGateway.Auth;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Auth;

public sealed class AuthOptionsValidatorTests
{
    [Fact]
    public void Valid_dynamic_registration_options_pass()
        => Assert.True(Validate(Valid()).Succeeded, Validate(Valid()).FailureMessage);

    [Fact]
    public void Preconfigured_client_with_secret_passes()
    {
        var options = Valid();
        options.ClientId = "gateway";
        options.ClientSecret = "s3cret";

        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Missing_authority_fails_and_names_the_key(string authority)
        => AssertFailure(With(o => o.Authority = authority), "Auth:Authority", "required");

    [Theory]
    [InlineData("login.example.com")]
    [InlineData("ftp://login.example.com")]
    [InlineData("https://login.example.com/?tenant=a")]
    [InlineData("https://login.example.com/#x")]
    public void Authority_that_is_not_an_http_url_without_query_fails_and_names_the_key(string authority)
        => AssertFailure(With(o => o.Authority = authority), "Auth:Authority", authority);

    [Theory]
    [InlineData("")]
    [InlineData("none")]
    [InlineData("consent")]
    [InlineData("login consent")]
    [InlineData("select_account")]
    public void Prompt_values_of_an_interactive_sign_in_pass(string prompt)
        => Assert.True(Validate(With(o => o.Prompt = prompt)).Succeeded, Validate(With(o => o.Prompt = prompt)).FailureMessage);

    [Theory]
    [InlineData("off", false)]
    [InlineData("on", true)]
    [InlineData(" On ", true)]
    [InlineData("OFF", false)]
    public void Resource_indicators_on_or_off_pass(string value, bool uses)
    {
        var options = With(o => o.ResourceIndicators = value);

        Assert.True(Validate(options).Succeeded, Validate(options).FailureMessage);
        Assert.Equal(uses, options.UsesResourceIndicators);
    }

    [Fact]
    public void Resource_indicators_are_off_by_default()
        => Assert.False(new AuthOptions().UsesResourceIndicators);

    [Theory]
    [InlineData("auto")]
    [InlineData("true")]
    [InlineData("")]
    public void Other_resource_indicator_values_fail_and_name_the_key(string value)
        => AssertFailure(With(o => o.ResourceIndicators = value), "Auth:ResourceIndicators", "'" + value + "'");

    [Theory]
    [InlineData("on")]
    [InlineData("Auto")]
    [InlineData("")]
    public void Other_dpop_values_fail_and_name_the_key(string value)
        => AssertFailure(With(o => o.Dpop = value), "Auth:Dpop", "'" + value + "'");

    [Fact]
    public void Dpop_is_auto_by_default()
        => Assert.Equal("auto", new AuthOptions().Dpop);

    [Theory]
    [InlineData("none consent")]
    [InlineData("always")]
    [InlineData("Consent")]
    public void Other_prompt_values_fail_and_name_the_key(string prompt)
        => AssertFailure(With(o => o.Prompt = prompt), "Auth:Prompt", prompt);

    [Fact]
    public void Http_authority_fails_while_https_metadata_is_required_and_names_the_switch()
        => AssertFailure(With(o => o.Authority = "http://127.0.0.1:4000"), "Auth:RequireHttpsMetadata", "Auth:Authority");

    [Fact]
    public void Http_authority_passes_when_https_metadata_is_not_required()
    {
        var options = With(o =>
        {
            o.Authority = "http://127.0.0.1:4000";
            o.RequireHttpsMetadata = false;
        });

        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void Authority_with_a_path_passes()
        => Assert.True(Validate(With(o => o.Authority = "https://login.example.com/realms/chat")).Succeeded);

    [Theory]
    [InlineData("profile offline_access")]
    [InlineData("")]
    [InlineData("openid_connect profile")]
    [InlineData("OPENID profile")]
    public void Scopes_without_openid_fail_and_name_the_key(string scopes)
        => AssertFailure(With(o => o.Scopes = scopes), "Auth:Scopes", "openid");

    [Theory]
    [InlineData("openid")]
    [InlineData("  profile   openid  ")]
    public void Scopes_with_openid_anywhere_pass(string scopes)
        => Assert.True(Validate(With(o => o.Scopes = scopes)).Succeeded);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_client_name_fails_and_names_the_key(string name)
        => AssertFailure(With(o => o.ClientName = name), "Auth:ClientName");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Client_id_without_secret_fails_and_names_both_keys(string? secret)
        => AssertFailure(With(o =>
        {
            o.ClientId = "gateway";
            o.ClientSecret = secret;
        }), "Auth:ClientSecret", "Auth:ClientId");

    [Theory]
    [InlineData("")]
    [InlineData("client_secret_basic")]
    [InlineData("Private_Key_Jwt")]
    public void Token_endpoint_auth_method_outside_auto_private_key_jwt_client_secret_post_fails_and_names_the_key(string method)
        => AssertFailure(With(o => o.TokenEndpointAuthMethod = method), "Auth:TokenEndpointAuthMethod", "auto");

    [Theory]
    [InlineData("auto")]
    [InlineData("private_key_jwt")]
    [InlineData("client_secret_post")]
    public void Token_endpoint_auth_methods_pass(string method)
        => Assert.True(Validate(With(o => o.TokenEndpointAuthMethod = method)).Succeeded);

    [Fact]
    public void Private_key_jwt_with_a_preconfigured_client_fails_naming_both_keys()
        => AssertFailure(With(o =>
        {
            o.ClientId = "gateway";
            o.ClientSecret = "s3cret";
            o.TokenEndpointAuthMethod = "private_key_jwt";
        }), "Auth:TokenEndpointAuthMethod", "Auth:ClientId");

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void Refresh_margin_outside_zero_to_an_hour_fails_and_names_the_key(int seconds)
        => AssertFailure(With(o => o.RefreshMargin = TimeSpan.FromSeconds(seconds)), "Auth:RefreshMargin");

    [Theory]
    [InlineData(0)]
    [InlineData(3600)]
    public void Refresh_margin_bounds_pass(int seconds)
        => Assert.True(Validate(With(o => o.RefreshMargin = TimeSpan.FromSeconds(seconds))).Succeeded);

    [Fact]
    public void Registration_retry_delay_under_a_second_fails_and_names_the_key()
        => AssertFailure(With(o => o.RegistrationRetryMaxDelay = TimeSpan.FromMilliseconds(999)), "Auth:RegistrationRetryMaxDelay");

    [Fact]
    public void Backchannel_timeout_under_a_second_fails_and_names_the_key()
        => AssertFailure(With(o => o.BackchannelTimeout = TimeSpan.Zero), "Auth:BackchannelTimeout");

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var result = Validate(new AuthOptions
        {
            Authority = "",
            Scopes = "profile",
            ClientName = "",
            ClientId = "gateway",
            RefreshMargin = TimeSpan.FromDays(1),
            RegistrationRetryMaxDelay = TimeSpan.Zero,
            BackchannelTimeout = TimeSpan.Zero,
        });

        Assert.True(result.Failed);
        Assert.Equal(7, result.Failures!.Count());
        foreach (var key in new[] { "Auth:Authority", "Auth:Scopes", "Auth:ClientName", "Auth:ClientSecret", "Auth:RefreshMargin", "Auth:RegistrationRetryMaxDelay", "Auth:BackchannelTimeout" })
        {
            Assert.Contains(result.Failures!, failure => failure.StartsWith(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Failure_never_repeats_the_client_secret_or_initial_access_token()
    {
        var result = Validate(new AuthOptions { Authority = "", ClientSecret = "s3cret-value", InitialAccessToken = "iat-value", Scopes = "x" });

        Assert.DoesNotContain("s3cret-value", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("iat-value", result.FailureMessage, StringComparison.Ordinal);
    }

    private static AuthOptions Valid() => new() { Authority = "https://login.example.com" };

    private static AuthOptions With(Action<AuthOptions> change)
    {
        var options = Valid();
        change(options);
        return options;
    }

    private static ValidateOptionsResult Validate(AuthOptions options) => new AuthOptionsValidator().Validate(null, options);

    private static void AssertFailure(AuthOptions options, params string[] expected)
    {
        var result = Validate(options);
        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        foreach (var text in expected)
        {
            Assert.Contains(text, failure, StringComparison.Ordinal);
        }
    }
}
