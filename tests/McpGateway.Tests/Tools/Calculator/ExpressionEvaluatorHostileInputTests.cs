using McpGateway.Tools.Calculator;

namespace McpGateway.Tests.Tools.Calculator;

/// <summary>Inputs meant to crash, hang or exhaust a parser: each gets a result or a clear error.</summary>
public sealed class ExpressionEvaluatorHostileInputTests
{
    private const int Large = CalculatorOptionsValidator.MaxLengthLimit;

    [Fact]
    public void Ten_thousand_nested_parentheses_are_refused_by_the_default_length_limit()
    {
        var expression = new string('(', 10_000) + "1" + new string(')', 10_000);

        var evaluation = ExpressionEvaluator.Evaluate(expression);

        Assert.Equal("The expression is 20001 characters long; the limit is 1000.", evaluation.Error);
    }

    [Fact]
    public void Ten_thousand_nested_parentheses_stop_at_the_depth_limit_without_recursing_further()
    {
        var expression = new string('(', 10_000) + "1" + new string(')', 10_000);

        var evaluation = ExpressionEvaluator.Evaluate(expression, maxLength: Large, maxDepth: 64);

        Assert.Equal("The expression nests parentheses and function calls too deeply at position 65 (the limit is 64 levels).", evaluation.Error);
    }

    [Fact]
    public void Unclosed_parentheses_stop_at_the_depth_limit()
        => Assert.StartsWith("The expression nests parentheses and function calls too deeply at position 65",
            ExpressionEvaluator.Evaluate(new string('(', Large), Large, 64).Error, StringComparison.Ordinal);

    [Fact]
    public void Nesting_up_to_the_limit_is_evaluated()
    {
        Assert.Equal(1, ExpressionEvaluator.Evaluate(new string('(', 64) + "1" + new string(')', 64)).Value);
        Assert.False(ExpressionEvaluator.Evaluate(new string('(', 65) + "1" + new string(')', 65)).Succeeded);
    }

    [Fact]
    public void Nested_function_calls_count_towards_the_depth_limit()
    {
        Assert.Equal(2, ExpressionEvaluator.Evaluate(Repeat("abs(", 64) + "2" + new string(')', 64)).Value);
        Assert.StartsWith("The expression nests parentheses and function calls too deeply at position 260",
            ExpressionEvaluator.Evaluate(Repeat("abs(", 65) + "2" + new string(')', 65)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_greatest_configurable_depth_does_not_exhaust_the_stack()
    {
        var depth = CalculatorOptionsValidator.MaxDepthLimit;
        var expression = Repeat("max(1, ", depth) + "2" + new string(')', depth);

        Assert.Equal(2, ExpressionEvaluator.Evaluate(expression, Large, depth).Value);

        // On a thread with little stack the evaluator may refuse sooner, but it never overflows the stack.
        var small = RunOnSmallStack(() => ExpressionEvaluator.Evaluate(expression, Large, depth));
        Assert.True(small.Value == 2 || small.Error?.StartsWith("The expression nests", StringComparison.Ordinal) == true, small.Error);
    }

    [Fact]
    public void A_hundred_thousand_characters_are_refused_by_the_default_length_limit()
        => Assert.Equal("The expression is 100000 characters long; the limit is 1000.",
            ExpressionEvaluator.Evaluate(new string('1', 100_000)).Error);

    [Fact]
    public void A_hundred_thousand_character_sum_is_evaluated_iteratively()
    {
        var expression = Repeat("1+", 49_999) + "1";

        Assert.Equal(50_000, ExpressionEvaluator.Evaluate(expression, Large).Value);
    }

    [Theory]
    [InlineData(10_000, "1")]
    [InlineData(9_999, "-1")]
    public void Long_unary_chains_are_evaluated_without_recursion(int signs, string expected)
    {
        var evaluation = ExpressionEvaluator.Evaluate(new string('-', signs) + "1", Large);

        Assert.Equal(expected, ExpressionEvaluator.Format(evaluation.Value));
    }

    [Fact]
    public void A_long_power_tower_overflows_with_a_clear_error()
    {
        var evaluation = ExpressionEvaluator.Evaluate(Repeat("2^", 30_000) + "2", Large);

        Assert.StartsWith("Overflow at position", evaluation.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_power_tower_of_ones_is_evaluated()
        => Assert.Equal(1, ExpressionEvaluator.Evaluate(Repeat("1^", 30_000) + "1", Large).Value);

    [Theory]
    [InlineData("1e308^1e308")]
    [InlineData("2^2^2^2^2")]
    [InlineData("exp(exp(exp(10)))")]
    [InlineData("10^308*10")]
    [InlineData("max(1e308, 1e308) * 2")]
    public void Huge_results_are_errors_not_infinity(string expression)
        => Assert.StartsWith("Overflow at position", ExpressionEvaluator.Evaluate(expression).Error, StringComparison.Ordinal);

    [Fact]
    public void A_hundred_thousand_digit_number_is_refused_as_too_large()
        => Assert.Equal("The number at position 1 is too large.", ExpressionEvaluator.Evaluate(new string('9', 100_000), Large).Error);

    [Fact]
    public void A_hundred_thousand_zeros_after_the_point_are_a_small_number()
        => Assert.Equal(0, ExpressionEvaluator.Evaluate("0." + new string('0', 99_990) + "1", Large).Value);

    [Fact]
    public void Many_function_arguments_are_evaluated()
        => Assert.Equal(15_000, ExpressionEvaluator.Evaluate("max(" + string.Join(',', Enumerable.Range(1, 15_000)) + ")", Large).Value);

    [Theory]
    [InlineData("\0")]
    [InlineData("1\0")]
    [InlineData("\ud800")]
    [InlineData("1 + \udc00")]
    [InlineData("\uffff")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("System.IO.File.Delete(\"x\")")]
    [InlineData("1; rm -rf /")]
    [InlineData("__import__('os')")]
    public void Text_that_is_not_arithmetic_is_refused_cleanly(string expression)
    {
        var evaluation = ExpressionEvaluator.Evaluate(expression);

        Assert.False(evaluation.Succeeded);
        Assert.Contains("position", evaluation.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(evaluation.Error, c => char.IsControl(c) || char.IsSurrogate(c));
    }

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    /// <summary>Runs on a thread with a 256 KiB stack, far less than any real thread gets.</summary>
    private static Evaluation RunOnSmallStack(Func<Evaluation> evaluate)
    {
        var result = default(Evaluation);
        var thread = new Thread(() => result = evaluate(), 256 * 1024);
        thread.Start();
        thread.Join();
        return result;
    }
}
