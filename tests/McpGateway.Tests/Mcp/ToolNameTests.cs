using McpGateway.Mcp;

namespace McpGateway.Tests.Mcp;

public sealed class ToolNameTests
{
    [Theory]
    [InlineData("calculator")]
    [InlineData("getUser")]
    [InlineData("DATA_EXPORT_v2")]
    [InlineData("admin.tools.list")]
    [InlineData("get-sum")]
    [InlineData("user-profile/update")]
    [InlineData("x")]
    public void Names_the_specification_recommends_and_other_visible_ascii_are_valid(string name)
    {
        Assert.Null(ToolName.Problem(name));
        Assert.True(ToolName.IsValid(name));
    }

    [Fact]
    public void A_name_of_exactly_128_characters_is_valid_and_of_129_is_not()
    {
        Assert.True(ToolName.IsValid(new string('a', ToolName.MaxLength)));
        Assert.Contains("128", ToolName.Problem(new string('a', ToolName.MaxLength + 1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\r\nb")]
    [InlineData("a\0b")]
    [InlineData("a\tb")]
    [InlineData("a\u0001b")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0085b")]
    [InlineData("a\u2028b")]
    [InlineData("calculator ")]
    [InlineData("a b")]
    [InlineData("café")]
    [InlineData("\ud800")]
    [InlineData("")]
    [InlineData(null)]
    public void Control_characters_line_breaks_spaces_non_ascii_and_missing_names_are_refused(string? name)
    {
        Assert.False(string.IsNullOrEmpty(ToolName.Problem(name)));
        Assert.False(ToolName.IsValid(name));
    }
}
