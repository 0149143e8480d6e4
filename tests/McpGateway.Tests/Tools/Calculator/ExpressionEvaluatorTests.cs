using System.Globalization;
using McpGateway.Tools.Calculator;

namespace McpGateway.Tests.Tools.Calculator;

public sealed class ExpressionEvaluatorTests
{
    [Theory]
    // numbers
    [InlineData("7", "7")]
    [InlineData("0", "0")]
    [InlineData("3.25", "3.25")]
    [InlineData(".5", "0.5")]
    [InlineData("5.", "5")]
    [InlineData("1e3", "1000")]
    [InlineData("2E+2", "200")]
    [InlineData("1.5e-3", "0.0015")]
    [InlineData("007", "7")]
    [InlineData("1e-400", "0")]
    [InlineData("123456789012345678901234567890", "1.2345678901234568E+29")]
    // operators and precedence
    [InlineData("1+2", "3")]
    [InlineData("2+3*4", "14")]
    [InlineData("(2+3)*4", "20")]
    [InlineData("2*3+4", "10")]
    [InlineData("10-4-3", "3")]
    [InlineData("100/10/5", "2")]
    [InlineData("2*3/4", "1.5")]
    [InlineData("7 % 3", "1")]
    [InlineData("-7 % 3", "-1")]
    [InlineData("7 % -3", "1")]
    [InlineData("7.5 % 2", "1.5")]
    [InlineData("1 + 7 % 3 * 2", "3")]
    [InlineData("1/3", "0.3333333333333333")]
    [InlineData("0.1+0.2", "0.30000000000000004")]
    [InlineData("2*(3+4)^2/sqrt(16)", "24.5")]
    // power: right-associative, tighter than unary minus
    [InlineData("2^10", "1024")]
    [InlineData("2^3^2", "512")]
    [InlineData("(2^3)^2", "64")]
    [InlineData("-2^2", "-4")]
    [InlineData("(-2)^2", "4")]
    [InlineData("2^-1", "0.5")]
    [InlineData("2^-2^2", "0.0625")]
    [InlineData("2^0.5", "1.4142135623730951")]
    [InlineData("0^0", "1")]
    [InlineData("(-8)^3", "-512")]
    [InlineData("(-8)^(1/1)", "-8")]
    [InlineData("4^0.5^2", "1.4142135623730951")]
    [InlineData("10^21", "1E+21")]
    [InlineData("2*3^2", "18")]
    // unary
    [InlineData("-3", "-3")]
    [InlineData("+3", "3")]
    [InlineData("--3", "3")]
    [InlineData("-+-3", "3")]
    [InlineData("3 - -3", "6")]
    [InlineData("3--3", "6")]
    [InlineData("-(2+3)", "-5")]
    [InlineData("-0", "0")]
    [InlineData("0*-1", "0")]
    [InlineData("-pi", "-3.141592653589793")]
    // functions and constants
    [InlineData("pi", "3.141592653589793")]
    [InlineData("e", "2.718281828459045")]
    [InlineData("PI", "3.141592653589793")]
    [InlineData("2*pi", "6.283185307179586")]
    [InlineData("sqrt(2)", "1.4142135623730951")]
    [InlineData("sqrt(16)", "4")]
    [InlineData("Sqrt(4)", "2")]
    [InlineData("sqrt(0)", "0")]
    [InlineData("sqrt(sqrt(16))", "2")]
    [InlineData("abs(-5.5)", "5.5")]
    [InlineData("abs(3)", "3")]
    [InlineData("sin(0)", "0")]
    [InlineData("sin(pi)", "1.2246467991473532E-16")]
    [InlineData("cos(0)", "1")]
    [InlineData("cos(pi)", "-1")]
    [InlineData("tan(0)", "0")]
    [InlineData("asin(1)", "1.5707963267948966")]
    [InlineData("acos(1)", "0")]
    [InlineData("acos(-1)", "3.141592653589793")]
    [InlineData("atan(1)", "0.7853981633974483")]
    [InlineData("ln(e)", "1")]
    [InlineData("ln(1)", "0")]
    [InlineData("log(1000)", "3")]
    [InlineData("log2(1024)", "10")]
    [InlineData("log2(0.5)", "-1")]
    [InlineData("exp(0)", "1")]
    [InlineData("exp(1)", "2.718281828459045")]
    [InlineData("floor(2.7)", "2")]
    [InlineData("floor(-2.5)", "-3")]
    [InlineData("ceil(2.1)", "3")]
    [InlineData("ceil(-2.5)", "-2")]
    [InlineData("round(2.5)", "3")]
    [InlineData("round(-2.5)", "-3")]
    [InlineData("round(2.4)", "2")]
    [InlineData("round(0.5)", "1")]
    [InlineData("min(3, 1, 2)", "1")]
    [InlineData("max(3,1,2)", "3")]
    [InlineData("min(5)", "5")]
    [InlineData("max(-1, -2)", "-1")]
    [InlineData("min(1+1, 2*3, -1)", "-1")]
    [InlineData("max(1,2)^2", "4")]
    [InlineData("MAX(1, min(4, 3))", "3")]
    // white space and parentheses
    [InlineData(" 1 +\t2\n", "3")]
    [InlineData("((((1))))", "1")]
    [InlineData("(1)+(2)", "3")]
    [InlineData("\u00a01\u00a0+\u00a01", "2")]
    public void Valid_expressions_give_exact_invariant_results(string expression, string expected)
    {
        var evaluation = ExpressionEvaluator.Evaluate(expression);

        Assert.True(evaluation.Succeeded, evaluation.Error);
        Assert.Equal(expected, ExpressionEvaluator.Format(evaluation.Value));
    }

    [Theory]
    [InlineData("", "The expression is empty.")]
    [InlineData("   \t", "The expression is empty.")]
    [InlineData("1 +", "The expression ends too early at position 4: expected a number, constant, function or '('.")]
    [InlineData("-", "The expression ends too early at position 2")]
    [InlineData("2^", "The expression ends too early at position 3")]
    [InlineData("foo + 1", "Unknown identifier 'foo' at position 1. Known: constants pi, e; functions sqrt, abs,")]
    [InlineData("2 * bar(3)", "Unknown identifier 'bar' at position 5.")]
    [InlineData("x", "Unknown identifier 'x' at position 1.")]
    [InlineData("(1 + 2", "Missing ')' to close the '(' at position 1.")]
    [InlineData("((1)", "Missing ')' to close the '(' at position 1.")]
    [InlineData("(1 + (2)", "Missing ')' to close the '(' at position 1.")]
    [InlineData("1 + 2)", "Unbalanced ')' at position 6: there is no '(' for it to close.")]
    [InlineData("(1))", "Unbalanced ')' at position 4")]
    [InlineData(")", "Expected a number, constant, function or '(' at position 1, found ')'.")]
    [InlineData("()", "Expected a number, constant, function or '(' at position 2, found ')'.")]
    [InlineData("1 2", "Unexpected number '2' at position 3: expected an operator or the end of the expression.")]
    [InlineData("(1 2)", "Unexpected number '2' at position 4: expected an operator or ')'.")]
    [InlineData("2pi", "Unexpected 'pi' at position 2: expected an operator or the end of the expression.")]
    [InlineData("2e", "Unexpected 'e' at position 2")]
    [InlineData("1.2.3", "Unexpected number '.3' at position 4")]
    [InlineData("1,2", "Unexpected ',' at position 2")]
    [InlineData("2 ** 3", "Expected a number, constant, function or '(' at position 4, found '*'.")]
    [InlineData("*3", "Expected a number, constant, function or '(' at position 1, found '*'.")]
    [InlineData("1 # 2", "Unexpected character '#' at position 3.")]
    [InlineData("1 + \u0001", "Unexpected character U+0001 at position 5.")]
    [InlineData("1 + \u202e2", "Unexpected character U+202E at position 5.")]
    [InlineData("1 + 😀", "Unexpected character '😀' at position 5.")]
    [InlineData("3 × 4", "Unexpected character '×' at position 3.")]
    [InlineData("1/0", "Division by zero at position 2.")]
    [InlineData("1 / (2 - 2)", "Division by zero at position 3.")]
    [InlineData("5 % (3-3)", "Division by zero at position 3.")]
    [InlineData("0^-1", "Division by zero at position 2: 0 raised to a negative power.")]
    [InlineData("sqrt(-1)", "Domain error at position 1: sqrt(-1) is not defined for real numbers.")]
    [InlineData("1 + ln(0)", "Domain error at position 5: ln(0) is not defined for real numbers.")]
    [InlineData("log(-10)", "Domain error at position 1: log(-10)")]
    [InlineData("log2(0)", "Domain error at position 1: log2(0)")]
    [InlineData("asin(2)", "Domain error at position 1: asin(2)")]
    [InlineData("acos(-1.5)", "Domain error at position 1: acos(-1.5)")]
    [InlineData("(-8)^(1/3)", "Domain error at position 5: (-8)^(0.3333333333333333) is not a real number.")]
    [InlineData("exp(1000)", "Overflow at position 1: the result of exp(1000) is too large.")]
    [InlineData("10^400", "Overflow at position 3: the result of '^' is too large.")]
    [InlineData("1e308*10", "Overflow at position 6: the result of '*' is too large.")]
    [InlineData("1e308+1e308", "Overflow at position 6: the result of '+' is too large.")]
    [InlineData("-1e308-1e308", "Overflow at position 7: the result of '-' is too large.")]
    [InlineData("1e308/1e-308", "Overflow at position 6: the result of '/' is too large.")]
    [InlineData("9^9^9", "Overflow at position 2")]
    [InlineData("1e999", "The number at position 1 is too large.")]
    [InlineData("1 + 1e999", "The number at position 5 is too large.")]
    [InlineData("sqrt(1, 2)", "Function 'sqrt' at position 1 takes exactly 1 argument, got 2.")]
    [InlineData("sqrt()", "Function 'sqrt' at position 1 takes exactly 1 argument, got 0.")]
    [InlineData("min()", "Function 'min' at position 1 takes at least 1 argument, got 0.")]
    [InlineData("sqrt 4", "Function 'sqrt' at position 1 must be followed by '(' and its arguments.")]
    [InlineData("sqrt", "Function 'sqrt' at position 1 must be followed by '('")]
    [InlineData("sqrt(4", "Missing ')' to close the call of 'sqrt' at position 1.")]
    [InlineData("sqrt(1 2)", "Unexpected number '2' at position 8: expected an operator or ',' or ')'.")]
    [InlineData("max(1,)", "Expected a number, constant, function or '(' at position 7, found ')'.")]
    [InlineData("pi(2)", "'pi' at position 1 is a constant, not a function.")]
    public void Invalid_expressions_fail_with_a_clear_message_and_position(string expression, string expected)
    {
        var evaluation = ExpressionEvaluator.Evaluate(expression);

        Assert.False(evaluation.Succeeded, $"'{expression}' gave {evaluation.Value}");
        Assert.StartsWith(expected, evaluation.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1/0 + )", "Expected a number, constant, function or '(' at position 7, found ')'.")]
    [InlineData("sqrt(-1) 2", "Unexpected number '2' at position 10")]
    [InlineData("ln(0) + foo", "Unknown identifier 'foo' at position 9.")]
    public void A_syntax_error_is_reported_even_after_an_evaluation_error(string expression, string expected)
        => Assert.StartsWith(expected, ExpressionEvaluator.Evaluate(expression).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("1/0 + sqrt(-1)", "Division by zero at position 2.")]
    [InlineData("sqrt(-1) + 1/0", "Domain error at position 1")]
    [InlineData("min(1/0, ln(0))", "Division by zero at position 6.")]
    public void The_first_evaluation_error_is_reported(string expression, string expected)
        => Assert.StartsWith(expected, ExpressionEvaluator.Evaluate(expression).Error, StringComparison.Ordinal);

    [Fact]
    public void Evaluation_is_culture_invariant()
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            // The app runs with invariant globalization, so build a culture that writes "1,5" by hand.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = comma;

            var evaluation = ExpressionEvaluator.Evaluate("1.5 + 1");

            Assert.Equal("2.5", ExpressionEvaluator.Format(evaluation.Value));
            Assert.StartsWith("Unexpected ',' at position 2", ExpressionEvaluator.Evaluate("1,5").Error, StringComparison.Ordinal);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }

    [Fact]
    public void Long_tokens_are_shortened_in_messages()
    {
        var error = ExpressionEvaluator.Evaluate("1 " + new string('x', 500)).Error;

        Assert.NotNull(error);
        Assert.True(error.Length < 150, error);
        Assert.Contains("…", error, StringComparison.Ordinal);
    }
}
