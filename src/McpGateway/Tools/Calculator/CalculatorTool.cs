using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tools.Calculator;

/// <summary>The <c>calculator</c> tool: evaluates an arithmetic expression with <see cref="ExpressionEvaluator"/>.</summary>
internal sealed class CalculatorTool : IGatewayTool
{
    public const string Name = "calculator";

    private readonly CalculatorOptions _options;

    public CalculatorTool(IOptions<CalculatorOptions> options)
    {
        _options = options.Value;
        Definition = new Tool
        {
            Name = Name,
            Title = "Calculator",
            Description =
                "Evaluates an arithmetic expression and returns the number. Supports + - * / % (remainder) ^ (power, "
                + "right-associative; -2^2 = -4), parentheses, unary minus, the functions sqrt, abs, sin, cos, tan, asin, "
                + "acos, atan (radians), ln, log (base 10), log2, exp, floor, ceil, round (half away from zero), "
                + "min(a, b, …), max(a, b, …) and the constants pi and e. Numbers use '.' for decimals and may use "
                + "exponent notation (1.5e3). Errors name the 1-based position. Example: \"2 * (3 + 4)^2 / sqrt(16)\".",
            InputSchema = StructuredContent.Schema($$"""
                {
                  "type": "object",
                  "properties": {
                    "expression": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": {{_options.MaxLength}},
                      "description": "The expression to evaluate, e.g. \"(1 + 2) * 3\"."
                    }
                  },
                  "required": ["expression"],
                  "additionalProperties": false
                }
                """),
            OutputSchema = StructuredContent.Schema("""
                {
                  "type": "object",
                  "properties": { "result": { "type": "number" } },
                  "required": ["result"]
                }
                """),
            Annotations = new ToolAnnotations { Title = "Calculator", ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false },
        };
    }

    public Tool Definition { get; }

    public ValueTask<CallToolResult> InvokeAsync(JsonElement arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        if (!ToolArguments.TryValidate(Definition.InputSchema, arguments, out var validated, out var error))
        {
            return ValueTask.FromResult(ToolResults.Error(error));
        }

        var evaluation = ExpressionEvaluator.Evaluate(validated.GetString("expression"), _options.MaxLength, _options.MaxDepth);
        if (!evaluation.Succeeded)
        {
            return ValueTask.FromResult(ToolResults.Error(evaluation.Error));
        }

        var value = evaluation.Value;
        return ValueTask.FromResult(ToolResults.Success(
            ExpressionEvaluator.Format(value),
            StructuredContent.Write(writer => writer.WriteNumber("result", value))));
    }
}
