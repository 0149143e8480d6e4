using McpGateway.Auth;

namespace McpGateway.Tests.Auth;

public sealed class AuthOptionsPromptTests
{
    [Fact]
    public void By_default_consent_is_asked_because_offline_access_is_requested()
        => Assert.Equal("consent", new AuthOptions().EffectivePrompt);

    [Fact]
    public void Without_offline_access_no_prompt_is_sent_by_default()
        => Assert.Null(new AuthOptions { Scopes = "openid profile" }.EffectivePrompt);

    [Fact]
    public void None_leaves_the_parameter_out_instead_of_sending_prompt_none()
        => Assert.Null(new AuthOptions { Prompt = "none" }.EffectivePrompt);

    [Fact]
    public void An_explicit_prompt_is_sent_as_configured_with_single_spaces()
        => Assert.Equal("login consent", new AuthOptions { Prompt = " login  consent " }.EffectivePrompt);
}
