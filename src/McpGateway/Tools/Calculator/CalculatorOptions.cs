namespace McpGateway.Tools.Calculator;

/// <summary>The <c>Tools:Calculator</c> configuration section.</summary>
internal sealed class CalculatorOptions
{
    public const string SectionName = "Tools:Calculator";

    /// <summary>Longest expression accepted, in characters.</summary>
    public int MaxLength { get; set; } = 1000;

    /// <summary>Deepest nesting of parentheses and function calls; bounds the parser's recursion.</summary>
    public int MaxDepth { get; set; } = 64;
}
