namespace McpGateway.Tools.Calculator;

/// <summary>A lexical token; <see cref="Position"/> is 1-based, as the error messages count.</summary>
internal readonly record struct Token(TokenKind Kind, int Position, string Text, double Number = 0)
{
    private const int MaxShownLength = 24;

    /// <summary>How an error message names this token, e.g. <c>number '12'</c> or <c>'*'</c>.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the expression",
        TokenKind.Number => $"number '{Shorten(Text)}'",
        TokenKind.Identifier => $"'{Shorten(Text)}'",
        _ => $"'{Text}'",
    };

    private static string Shorten(string text) => text.Length <= MaxShownLength ? text : text[..MaxShownLength] + "…";
}
