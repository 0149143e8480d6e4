namespace McpGateway.Tools.Calculator;

/// <summary>A syntax or limit error; never leaves <see cref="ExpressionEvaluator"/>, which turns it into a failed evaluation.</summary>
internal sealed class ExpressionException(string message) : Exception(message);
