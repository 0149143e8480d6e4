using System.Text.Json;
using McpGateway.Tools.Calculator;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Tools.Calculator;

public sealed class CalculatorToolTests
{
    private readonly CalculatorTool _tool = new(Options.Create(new CalculatorOptions()));

    [Theory]
    [InlineData("3 + 4", "7", 7)]
    [InlineData("1/2", "0.5", 0.5)]
    [InlineData("sqrt(2)", "1.4142135623730951", 1.4142135623730951)]
    [InlineData("-2^2", "-4", -4)]
    public async Task Answers_the_invariant_text_and_the_number_as_structured_content(string expression, string text, double number)
    {
        var result = await _tool.InvokeAsync(ToolAssert.Arguments("expression", expression), ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.Equal(text, ToolAssert.Success(result));
        var structured = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal(number, structured.GetProperty("result").GetDouble());
        Assert.Equal($$"""{"result":{{text}}}""", structured.GetRawText());
    }

    [Theory]
    [InlineData("""{}""", "Missing required argument 'expression'.")]
    [InlineData("""{"expression":42}""", "Argument 'expression' must be a string, got a number.")]
    [InlineData("""{"expression":""}""", "Argument 'expression' must not be empty.")]
    [InlineData("""{"expression":"1","code":"x"}""", "Unknown argument 'code'; this tool accepts 'expression'.")]
    [InlineData("""["1+1"]""", "The arguments must be a JSON object, got an array.")]
    public async Task Bad_arguments_are_error_results_naming_the_argument(string arguments, string expected)
    {
        var result = await _tool.InvokeAsync(ToolAssert.Arguments(arguments), ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.Equal(expected, ToolAssert.Error(result));
    }

    [Fact]
    public async Task No_arguments_at_all_is_an_error_result()
        => Assert.Equal("Missing required argument 'expression'.",
            ToolAssert.Error(await _tool.InvokeAsync(default, ToolAssert.Alice, TestContext.Current.CancellationToken)));

    [Theory]
    [InlineData("1/0", "Division by zero at position 2.")]
    [InlineData("foo", "Unknown identifier 'foo' at position 1.")]
    [InlineData("(1", "Missing ')' to close the '(' at position 1.")]
    [InlineData("   ", "The expression is empty.")]
    public async Task Evaluation_errors_are_error_results(string expression, string expected)
    {
        var result = await _tool.InvokeAsync(ToolAssert.Arguments("expression", expression), ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.StartsWith(expected, ToolAssert.Error(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expression_over_the_length_limit_is_refused_by_the_schema_check()
    {
        var result = await _tool.InvokeAsync(ToolAssert.Arguments("expression", new string('1', 100_000)), ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.Equal("Argument 'expression' must be from 1 to 1000 characters long, got 100000.", ToolAssert.Error(result));
    }

    [Fact]
    public async Task Configured_limits_apply()
    {
        var tool = new CalculatorTool(Options.Create(new CalculatorOptions { MaxLength = 10, MaxDepth = 2 }));

        ToolAssert.Error(await tool.InvokeAsync(ToolAssert.Arguments("expression", "1+1+1+1+1+1"), ToolAssert.Alice, TestContext.Current.CancellationToken), "from 1 to 10 characters");
        ToolAssert.Error(await tool.InvokeAsync(ToolAssert.Arguments("expression", "(((1)))"), ToolAssert.Alice, TestContext.Current.CancellationToken), "the limit is 2 levels");
        Assert.Equal("1", ToolAssert.Success(await tool.InvokeAsync(ToolAssert.Arguments("expression", "((1))"), ToolAssert.Alice, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public void The_definition_advertises_the_argument_and_its_limits()
    {
        var definition = _tool.Definition;

        Assert.Equal("calculator", definition.Name);
        Assert.Contains("sqrt", definition.Description, StringComparison.Ordinal);
        var expression = definition.InputSchema.GetProperty("properties").GetProperty("expression");
        Assert.Equal("string", expression.GetProperty("type").GetString());
        Assert.Equal(1000, expression.GetProperty("maxLength").GetInt32());
        Assert.Equal("expression", Assert.Single(definition.InputSchema.GetProperty("required").EnumerateArray()).GetString());
        Assert.False(definition.InputSchema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal("number", definition.OutputSchema!.Value.GetProperty("properties").GetProperty("result").GetProperty("type").GetString());
        Assert.True(definition.Annotations!.ReadOnlyHint);
    }
}
