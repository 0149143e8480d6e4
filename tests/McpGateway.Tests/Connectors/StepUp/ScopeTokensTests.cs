using McpGateway.Connectors.StepUp;

namespace McpGateway.Tests.Connectors.StepUp;

public sealed class ScopeTokensTests
{
    [Theory]
    [InlineData("mcp")]
    [InlineData("mcp mcp:admin")]
    [InlineData("  files:read   files:write ")]
    [InlineData("https://api.example/scope!#$%&'()*+,-./:;<=>?@[]^_`{|}~")]
    public void Scope_tokens_are_valid(string scope) => Assert.True(ScopeTokens.IsValid(scope));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("mcp \"admin\"")]
    [InlineData("back\\slash")]
    [InlineData("tab\tseparated")]
    [InlineData("new\nline")]
    [InlineData("caf\u00e9")]
    [InlineData("mcp\u0000")]
    public void Anything_else_is_not(string? scope) => Assert.False(ScopeTokens.IsValid(scope));

    [Fact]
    public void Too_long_or_too_many_tokens_is_not_valid()
    {
        Assert.True(ScopeTokens.IsValid(new string('a', ScopeTokens.MaxLength)));
        Assert.False(ScopeTokens.IsValid(new string('a', ScopeTokens.MaxLength + 1)));
        Assert.True(ScopeTokens.IsValid(string.Join(' ', Enumerable.Range(0, ScopeTokens.MaxTokens).Select(i => "s" + i))));
        Assert.False(ScopeTokens.IsValid(string.Join(' ', Enumerable.Range(0, ScopeTokens.MaxTokens + 1).Select(i => "s" + i))));
    }

    [Fact]
    public void The_union_keeps_each_token_once_in_first_seen_order()
    {
        Assert.Equal(["mcp", "offline_access", "mcp:admin", "files:read"],
            ScopeTokens.Union("mcp offline_access", null, "", "offline_access  mcp", "mcp mcp:admin", "files:read mcp:admin"));
    }

    [Fact]
    public void The_union_is_case_sensitive_as_scope_tokens_are()
        => Assert.Equal(["mcp", "MCP"], ScopeTokens.Union("mcp", "MCP"));

    [Fact]
    public void The_union_of_nothing_is_empty() => Assert.Empty(ScopeTokens.Union(null, " "));
}
