using McpGateway.Tools.Calculator;

namespace McpGateway.Tests.Tools.Calculator;

/// <summary>
/// Seeded random expressions. Generated trees are rendered fully parenthesized and evaluated by a
/// small independent tree walker, which must agree bit for bit (same IEEE operations in the same
/// order) or fail where the evaluator fails. Random token soup must never make the evaluator throw.
/// </summary>
public sealed class ExpressionEvaluatorRandomTests
{
    private const int Cases = 3000;
    private static readonly string[] Operators = ["+", "-", "*", "/", "%", "^"];
    private static readonly string[] Unary = ["sqrt", "abs", "sin", "cos", "tan", "asin", "acos", "atan", "ln", "log", "log2", "exp", "floor", "ceil", "round"];
    private static readonly double[] Literals = [0, 1, 2, 3, 0.5, 10, 1e-3, 1.5e3, 7.25, 1e300, 123456.789];

    private static readonly string[] Soup =
    [
        "1", "2.5", "0", "1e3", "1e999", ".5", "pi", "e", "x", "sqrt", "min", "max", "ln", "(", "(", ")", ")", ",",
        "+", "-", "*", "/", "%", "^", " ", "#", "\0", "😀", "..", "e5", "E", "_",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Generated_expressions_agree_with_an_independent_tree_evaluator(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var (text, expected) = Generate(random, depth: random.Next(1, 7));

            var evaluation = Evaluate(text);

            if (expected is { } value && double.IsFinite(value))
            {
                Assert.True(evaluation.Succeeded, $"'{text}' should be {value}, got: {evaluation.Error}");
                Assert.Equal(value == 0 ? 0 : value, evaluation.Value);
            }
            else
            {
                Assert.False(evaluation.Succeeded, $"'{text}' should fail, got {evaluation.Value}");
                Assert.Matches("^(Division by zero|Domain error|Overflow) at position [0-9]+", evaluation.Error);
            }
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Random_token_soup_never_throws_and_yields_a_finite_number_or_an_error(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => Soup[random.Next(Soup.Length)]));

            var evaluation = Evaluate(text);

            if (evaluation.Succeeded)
            {
                Assert.True(double.IsFinite(evaluation.Value), text);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(evaluation.Error));
                Assert.Matches("position [0-9]+|^The expression is empty\\.$", evaluation.Error);
            }
        }
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Random_printable_text_never_throws(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var chars = Enumerable.Range(0, random.Next(0, 60)).Select(_ => (char)random.Next(0, 0x3000)).ToArray();

            var evaluation = Evaluate(new string(chars));

            Assert.True(evaluation.Succeeded ? double.IsFinite(evaluation.Value) : evaluation.Error!.Length > 0);
        }
    }

    private static Evaluation Evaluate(string text)
    {
        try
        {
            return ExpressionEvaluator.Evaluate(text, maxLength: 100_000);
        }
        catch (Exception ex)
        {
            Assert.Fail($"'{text}' threw {ex}");
            throw;
        }
    }

    /// <summary>A random expression and its value by the reference semantics (null: an evaluation error).</summary>
    private static (string Text, double? Value) Generate(Random random, int depth)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            return random.Next(6) switch
            {
                0 => ("pi", Math.PI),
                1 => ("e", Math.E),
                _ => Literal(random),
            };
        }

        switch (random.Next(5))
        {
            case 0:
            {
                var (text, value) = Generate(random, depth - 1);
                return ($"-({text})", -value);
            }

            case 1:
            {
                var name = Unary[random.Next(Unary.Length)];
                var (text, value) = Generate(random, depth - 1);
                return ($"{name}({text})", value is { } x ? ApplyUnary(name, x) : null);
            }

            case 2:
            {
                var count = random.Next(1, 4);
                var arguments = Enumerable.Range(0, count).Select(_ => Generate(random, depth - 1)).ToList();
                var name = random.Next(2) == 0 ? "min" : "max";
                var values = arguments.Select(a => a.Value).ToList();
                double? result = values.Any(v => v is null) ? null : name == "min" ? values.Min(v => v!.Value) : values.Max(v => v!.Value);
                return ($"{name}({string.Join(", ", arguments.Select(a => a.Text))})", result);
            }

            default:
            {
                var op = Operators[random.Next(Operators.Length)];
                var (left, l) = Generate(random, depth - 1);
                var (right, r) = Generate(random, depth - 1);
                return ($"({left}) {op} ({right})", l is { } a && r is { } b ? ApplyBinary(op, a, b) : null);
            }
        }
    }

    private static (string, double?) Literal(Random random)
    {
        var value = random.Next(3) == 0 ? Math.Round(random.NextDouble() * 1000, random.Next(0, 4)) : Literals[random.Next(Literals.Length)];
        return (ExpressionEvaluator.Format(value), value);
    }

    private static double? ApplyUnary(string name, double x)
    {
        double? result = name switch
        {
            "sqrt" => x < 0 ? null : Math.Sqrt(x),
            "abs" => Math.Abs(x),
            "sin" => Math.Sin(x),
            "cos" => Math.Cos(x),
            "tan" => Math.Tan(x),
            "asin" => x is < -1 or > 1 ? null : Math.Asin(x),
            "acos" => x is < -1 or > 1 ? null : Math.Acos(x),
            "atan" => Math.Atan(x),
            "ln" => x <= 0 ? null : Math.Log(x),
            "log" => x <= 0 ? null : Math.Log10(x),
            "log2" => x <= 0 ? null : Math.Log2(x),
            "exp" => Math.Exp(x),
            "floor" => Math.Floor(x),
            "ceil" => Math.Ceiling(x),
            "round" => Math.Round(x, MidpointRounding.AwayFromZero),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        return Finite(result);
    }

    private static double? ApplyBinary(string op, double a, double b) => op switch
    {
        "+" => Finite(a + b),
        "-" => Finite(a - b),
        "*" => Finite(a * b),
        "/" => b == 0 ? null : Finite(a / b),
        "%" => b == 0 ? null : Finite(a % b),
        "^" => a == 0 && b < 0 ? null : Finite(Math.Pow(a, b)),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
