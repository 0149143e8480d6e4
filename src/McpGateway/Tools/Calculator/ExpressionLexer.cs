using System.Buffers;
using System.Globalization;
using System.Text;

namespace McpGateway.Tools.Calculator;

/// <summary>Splits an expression into tokens on demand, with one token of look-ahead.</summary>
internal sealed class ExpressionLexer(string text)
{
    private int _index;
    private Token? _peeked;

    public Token Peek() => _peeked ??= Read();

    public Token Next()
    {
        var token = Peek();
        _peeked = null;
        return token;
    }

    private Token Read()
    {
        while (_index < text.Length && char.IsWhiteSpace(text[_index]))
        {
            _index++;
        }

        if (_index >= text.Length)
        {
            return new Token(TokenKind.End, text.Length + 1, "");
        }

        var c = text[_index];
        if (char.IsAsciiDigit(c) || (c == '.' && _index + 1 < text.Length && char.IsAsciiDigit(text[_index + 1])))
        {
            return ReadNumber();
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            var start = _index;
            while (_index < text.Length && (char.IsAsciiLetterOrDigit(text[_index]) || text[_index] == '_'))
            {
                _index++;
            }

            return new Token(TokenKind.Identifier, start + 1, text[start.._index]);
        }

        var kind = c switch
        {
            '+' => TokenKind.Plus,
            '-' => TokenKind.Minus,
            '*' => TokenKind.Star,
            '/' => TokenKind.Slash,
            '%' => TokenKind.Percent,
            '^' => TokenKind.Caret,
            '(' => TokenKind.LeftParen,
            ')' => TokenKind.RightParen,
            ',' => TokenKind.Comma,
            _ => throw new ExpressionException($"Unexpected character {DescribeCharacter()} at position {_index + 1}."),
        };
        _index++;
        return new Token(kind, _index, c.ToString());
    }

    private Token ReadNumber()
    {
        var start = _index;
        SkipDigits();
        if (_index < text.Length && text[_index] == '.')
        {
            _index++;
            SkipDigits();
        }

        // An exponent only when digits follow, so that "2e" stays a number and an identifier.
        if (_index < text.Length && text[_index] is 'e' or 'E')
        {
            var exponent = _index + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
            {
                _index = exponent;
                SkipDigits();
            }
        }

        var literal = text[start.._index];
        var value = double.Parse(literal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw new ExpressionException($"The number at position {start + 1} is too large.");
        }

        return new Token(TokenKind.Number, start + 1, literal, value);
    }

    private void SkipDigits()
    {
        while (_index < text.Length && char.IsAsciiDigit(text[_index]))
        {
            _index++;
        }
    }

    /// <summary>The character at the cursor for a message: printable ones quoted, others as U+XXXX.</summary>
    private string DescribeCharacter()
    {
        if (Rune.DecodeFromUtf16(text.AsSpan(_index), out var rune, out _) != OperationStatus.Done)
        {
            return $"U+{(int)text[_index]:X4}";
        }

        var category = Rune.GetUnicodeCategory(rune);
        var printable = !Rune.IsWhiteSpace(rune) && rune.Value is not (0xFFFD or '\'')
            && category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate);
        return printable ? $"'{rune}'" : $"U+{rune.Value:X4}";
    }
}
