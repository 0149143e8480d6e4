using System.Diagnostics.CodeAnalysis;

namespace McpGateway.Tools.Calculator;

/// <summary>The outcome of evaluating an expression: a finite value, or an error naming the position.</summary>
internal readonly record struct Evaluation(double Value, string? Error)
{
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static Evaluation Success(double value) => new(value, null);

    public static Evaluation Failure(string error) => new(double.NaN, error);
}
