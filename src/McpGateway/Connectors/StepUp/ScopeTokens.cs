namespace McpGateway.Connectors.StepUp;

/// <summary>OAuth scope strings (RFC 6749 §3.3): space-separated tokens of printable ASCII without space, <c>"</c> or <c>\</c>.</summary>
internal static class ScopeTokens
{
    /// <summary>Longer scope strings are refused: nothing a server legitimately demands comes near it.</summary>
    public const int MaxLength = 1024;

    public const int MaxTokens = 32;

    /// <returns>Whether <paramref name="scope"/> is one or more scope tokens, within <see cref="MaxLength"/> and <see cref="MaxTokens"/>.</returns>
    public static bool IsValid(string? scope)
    {
        if (string.IsNullOrWhiteSpace(scope) || scope.Length > MaxLength)
        {
            return false;
        }

        var tokens = Split(scope);
        return tokens.Length is > 0 and <= MaxTokens && tokens.All(token => token.All(IsScopeChar));
    }

    /// <summary>Every token of every scope string, each once, in first-seen order (null and empty strings add nothing).</summary>
    public static List<string> Union(params IEnumerable<string?> scopes)
    {
        var union = new List<string>();
        foreach (var scope in scopes)
        {
            foreach (var token in Split(scope))
            {
                if (!union.Contains(token, StringComparer.Ordinal))
                {
                    union.Add(token);
                }
            }
        }

        return union;
    }

    public static string[] Split(string? scope) => (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // NQCHAR = %x21 / %x23-5B / %x5D-7E
    private static bool IsScopeChar(char c) => c is '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E');
}
