using System.Collections.Frozen;

namespace McpGateway.Tools.Calculator;

/// <summary>The calculator's functions and constants; names are matched case-insensitively.</summary>
internal static class MathLibrary
{
    private static readonly (string Name, double Value)[] ConstantList = [("pi", Math.PI), ("e", Math.E)];

    private static readonly MathFunction[] FunctionList =
    [
        MathFunction.Unary("sqrt", Math.Sqrt, static x => x >= 0),
        MathFunction.Unary("abs", Math.Abs),
        MathFunction.Unary("sin", Math.Sin),
        MathFunction.Unary("cos", Math.Cos),
        MathFunction.Unary("tan", Math.Tan),
        MathFunction.Unary("asin", Math.Asin, static x => x is >= -1 and <= 1),
        MathFunction.Unary("acos", Math.Acos, static x => x is >= -1 and <= 1),
        MathFunction.Unary("atan", Math.Atan),
        MathFunction.Unary("ln", Math.Log, static x => x > 0),
        MathFunction.Unary("log", Math.Log10, static x => x > 0),
        MathFunction.Unary("log2", Math.Log2, static x => x > 0),
        MathFunction.Unary("exp", Math.Exp),
        MathFunction.Unary("floor", Math.Floor),
        MathFunction.Unary("ceil", Math.Ceiling),
        // Half away from zero, as people round by hand: round(2.5) = 3, round(-2.5) = -3.
        MathFunction.Unary("round", static x => Math.Round(x, MidpointRounding.AwayFromZero)),
        new MathFunction("min", 1, MathFunction.Variadic, static args => args.Min()),
        new MathFunction("max", 1, MathFunction.Variadic, static args => args.Max()),
    ];

    public static FrozenDictionary<string, double> Constants { get; } =
        ConstantList.ToFrozenDictionary(constant => constant.Name, constant => constant.Value, StringComparer.OrdinalIgnoreCase);

    public static FrozenDictionary<string, MathFunction> Functions { get; } =
        FunctionList.ToFrozenDictionary(function => function.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>What an unknown-identifier error lists as known, in a stable order.</summary>
    public static string KnownNames { get; } =
        $"constants {string.Join(", ", ConstantList.Select(constant => constant.Name))}; functions {string.Join(", ", FunctionList.Select(function => function.Name))}";
}
