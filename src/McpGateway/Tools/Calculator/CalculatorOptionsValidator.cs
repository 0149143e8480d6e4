using Microsoft.Extensions.Options;

namespace McpGateway.Tools.Calculator;

internal sealed class CalculatorOptionsValidator : IValidateOptions<CalculatorOptions>
{
    public const int MaxLengthLimit = 100_000;

    // Each level of nesting is a few stack frames of the recursive-descent parser; 256 stays far
    // below any thread's stack.
    public const int MaxDepthLimit = 256;

    public ValidateOptionsResult Validate(string? name, CalculatorOptions options)
    {
        var failures = new List<string>();
        if (options.MaxLength is < 1 or > MaxLengthLimit)
        {
            failures.Add($"Tools:Calculator:MaxLength must be between 1 and {MaxLengthLimit}, got {options.MaxLength}.");
        }

        if (options.MaxDepth is < 1 or > MaxDepthLimit)
        {
            failures.Add($"Tools:Calculator:MaxDepth must be between 1 and {MaxDepthLimit}, got {options.MaxDepth}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
