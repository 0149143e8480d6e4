namespace McpGateway.Tools.Calculator;

/// <summary>
/// A function the calculator knows. <see cref="Domain"/> says which single argument is allowed (for
/// the functions that are not defined on every real), so that e.g. <c>ln(0)</c> is a domain error
/// rather than an overflow.
/// </summary>
internal sealed record MathFunction(string Name, int MinArity, int MaxArity, Func<IReadOnlyList<double>, double> Apply, Func<double, bool>? Domain = null)
{
    public const int Variadic = int.MaxValue;

    public static MathFunction Unary(string name, Func<double, double> apply, Func<double, bool>? domain = null)
        => new(name, 1, 1, args => apply(args[0]), domain);

    public string DescribeArity() => (MinArity, MaxArity) switch
    {
        (1, 1) => "exactly 1 argument",
        (var min, Variadic) => $"at least {min} argument{(min == 1 ? "" : "s")}",
        (var min, var max) when min == max => $"exactly {min} arguments",
        (var min, var max) => $"{min} to {max} arguments",
    };
}
