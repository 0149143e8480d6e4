using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class CalculatorBarrageTests(HostileStack stack, ITestOutputHelper output)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Pathological_calculator_expressions_over_rest_and_both_socket_dialects_get_a_number_or_a_tool_error_quickly()
    {
        var random = HostileSeed.For(nameof(Pathological_calculator_expressions_over_rest_and_both_socket_dialects_get_a_number_or_a_tool_error_quickly));
        using var attacker = await stack.SignInAsync("calc-" + Guid.NewGuid().ToString("N")[..6]);
        var expressions = Expressions(random, 700);
        var arguments = expressions.Select(expression => ("expression " + OpenRedirectTests.Show(expression), (JsonNode?)new JsonObject { ["expression"] = expression }))
            .Concat(
            [
                ("expression a number", new JsonObject { ["expression"] = 12 }),
                ("expression null", new JsonObject { ["expression"] = null }),
                ("expression an array", new JsonObject { ["expression"] = new JsonArray("1", "+", "1") }),
                ("expression an object", new JsonObject { ["expression"] = new JsonObject { ["x"] = "1" } }),
                ("expression true", new JsonObject { ["expression"] = true }),
                ("no expression", new JsonObject()),
                ("an extra argument", new JsonObject { ["expression"] = "1", ["eval"] = "process.exit()" }),
                ("no arguments", null),
            ])
            .ToList();
        var log = new AttackLog();
        var numbers = 0;
        var slowest = TimeSpan.Zero;

        await Bystander.DuringAsync(stack, output, async () =>
        {
            await using var channels = await ToolChannels.OpenAsync(stack, attacker, log);
            await Task.WhenAll(Enum.GetValues<ToolChannel>().Select(async channel =>
            {
                foreach (var (name, argument) in arguments)
                {
                    var @case = $"calculator {channel} {name}";
                    var clock = Stopwatch.StartNew();
                    var answer = await channels.CallAsync(channel, "calculator", argument, @case);
                    var took = clock.Elapsed;
                    slowest = took > slowest ? took : slowest;
                    if (answer.Failure is not null)
                    {
                        log.Violation(@case, $"{answer.Failure}: {answer.Raw}");
                    }
                    else if (took > Slow)
                    {
                        log.Violation(@case, $"took {took.TotalSeconds:F1} s");
                    }
                    else if (!answer.IsError)
                    {
                        Interlocked.Increment(ref numbers);
                        if (!double.TryParse(answer.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                        {
                            log.Violation(@case, "a result that is not a finite number: " + answer.Text);
                        }
                    }
                }
            }));
        });

        output.WriteLine($"{arguments.Count} expressions on {Enum.GetValues<ToolChannel>().Length} channels: {numbers} numbers, the rest tool errors; slowest {slowest.TotalMilliseconds:F0} ms {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync(attacker));
        Assert.True(numbers > 0, "no expression evaluated at all");
    }

    private static List<string> Expressions(Random random, int count)
    {
        var expressions = new HashSet<string>(StringComparer.Ordinal)
        {
            "9^9^9^9", "10^309", "1e308*10", "-1e308*10", "1e-400", "(-8)^(1/3)", "0^0", "0^-1", "(-1)^0.5", "1/0", "0/0", "1%0", "-0", "1/-0", "0x10",
            "1_000", "1,5", "\u0661\u0662\u0663", "\uFF11\uFF12\uFF13", "NaN", "Infinity", "-Infinity", "inf", "nan", "1e", "1e+", ".", "..", "1..2",
            "1.2.3", "e", "pi", "E", "PI", "min()", "max()", "sqrt()", "sqrt(1,2)", "log(-1)", "ln(0)", "asin(2)", "acos(-2)", "unknown(1)", "pi(1)",
            "e()", "sqrt", "pi pi", "1 2", "1\u00A0+\u00A01", "1\t+\n1", "\u202E1+1", "1+1\u0000", "()", ")(", "(", ")", "+", "-", "*", "/", "^",
            "2^-1074", "2^1023*2", "exp(710)", "exp(-1e308)", "tan(pi/2)", "round(-0.5)", "floor(-1e308)", "abs(-0)", "1e308+1e308", "max(1e308,1e308)*2",
            "\"1\"", "'1'", "1;2", "1==1", "1&&1", "!1", "~1", "1<<2", "a=1", "${1}", "{{7*7}}", "__proto__", "constructor", "eval(1)", "import('x')",
            new string('9', 400), "0." + new string('0', 990) + "1", string.Concat(Enumerable.Repeat("1+", 499)) + "1", string.Concat(Enumerable.Repeat("1+", 500)) + "1",
            new string('(', 64) + "1" + new string(')', 64), new string('(', 65) + "1" + new string(')', 65), new string('(', 499) + "1" + new string(')', 499),
            string.Concat(Enumerable.Repeat("sqrt(", 64)) + "1" + new string(')', 64), string.Concat(Enumerable.Repeat("sqrt(", 65)) + "1" + new string(')', 65),
            "max(" + string.Concat(Enumerable.Repeat("1,", 490)) + "1)", new string('-', 999) + "1", "2" + string.Concat(Enumerable.Repeat("^2", 300)),
            "1" + string.Concat(Enumerable.Repeat("^1", 499)), new string('(', 1000), new string(')', 1000), new string('x', 2000), "",
        };
        string[] tokens = ["0", "1", "2", "9", ".", "e", "1e9", "+", "-", "*", "/", "%", "^", "(", ")", ",", " ", "sqrt", "abs", "sin", "cos", "tan", "asin", "ln", "log", "log2", "exp", "floor", "ceil", "round", "min", "max", "pi", "\u00E9", "\u0000"];
        while (expressions.Count < count)
        {
            var text = new StringBuilder();
            switch (random.Next(5))
            {
                case 0:
                    var depth = random.Next(1, 600);
                    text.Append('(', depth).Append(random.Next(100)).Append(')', random.Next(2) == 0 ? depth : random.Next(depth));
                    break;
                case 1:
                    var functions = random.Next(1, 120);
                    for (var i = 0; i < functions; i++)
                    {
                        text.Append(tokens[random.Next(17, 33)]).Append('(');
                    }

                    text.Append(random.NextDouble() * 10).Append(')', functions);
                    break;
                case 2:
                    text.Append(random.Next(1, 10));
                    for (var i = random.Next(1, 200); i > 0; i--)
                    {
                        text.Append('^').Append(random.Next(0, 10));
                    }

                    break;
                default:
                    for (var i = random.Next(1, 300); i > 0; i--)
                    {
                        text.Append(tokens[random.Next(tokens.Length)]);
                    }

                    break;
            }

            expressions.Add(text.ToString());
        }

        return [.. expressions];
    }
}
