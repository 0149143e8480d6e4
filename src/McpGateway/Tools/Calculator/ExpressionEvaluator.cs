using System.Globalization;
using System.Runtime.CompilerServices;

namespace McpGateway.Tools.Calculator;

/// <summary>
/// A recursive-descent parser that evaluates as it parses; no code is generated or executed.
/// <code>
/// expression := term (('+' | '-') term)*
/// term       := unary (('*' | '/' | '%') unary)*
/// unary      := ('+' | '-')* power
/// power      := primary ('^' unary)*             right-associative, binds tighter than unary minus: -2^2 = -4
/// primary    := number | constant | function '(' [expression (',' expression)*] ')' | '(' expression ')'
/// </code>
/// Only parentheses and function calls recurse, and their depth is bounded; sign runs and power
/// chains are loops, so no input can exhaust the stack. Syntax errors stop at once; an evaluation
/// error (division by zero, domain, overflow) is remembered and reported only if the whole
/// expression parses, so a malformed expression is always reported as malformed.
/// </summary>
internal sealed class ExpressionEvaluator
{
    private readonly ExpressionLexer _lexer;
    private readonly int _maxDepth;
    private int _depth;
    private string? _error;

    private ExpressionEvaluator(string expression, int maxDepth)
    {
        _lexer = new ExpressionLexer(expression);
        _maxDepth = maxDepth;
    }

    public static Evaluation Evaluate(string expression, int maxLength = 1000, int maxDepth = 64)
    {
        if (expression.Length > maxLength)
        {
            return Evaluation.Failure($"The expression is {expression.Length} characters long; the limit is {maxLength}.");
        }

        if (string.IsNullOrWhiteSpace(expression))
        {
            return Evaluation.Failure("The expression is empty.");
        }

        var evaluator = new ExpressionEvaluator(expression, maxDepth);
        try
        {
            var value = evaluator.ParseExpression();
            var next = evaluator._lexer.Next();
            if (next.Kind == TokenKind.RightParen)
            {
                throw new ExpressionException($"Unbalanced ')' at position {next.Position}: there is no '(' for it to close.");
            }

            if (next.Kind != TokenKind.End)
            {
                throw new ExpressionException($"Unexpected {next.Describe()} at position {next.Position}: expected an operator or the end of the expression.");
            }

            if (evaluator._error is not null)
            {
                return Evaluation.Failure(evaluator._error);
            }

            return double.IsFinite(value)
                ? Evaluation.Success(value == 0 ? 0 : value) // no "-0"
                : Evaluation.Failure("The result is not a finite number.");
        }
        catch (ExpressionException ex)
        {
            return Evaluation.Failure(ex.Message);
        }
    }

    /// <summary>The invariant, shortest round-trippable text of a result, e.g. "7", "0.5", "1E+21".</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private double ParseExpression()
    {
        var value = ParseTerm();
        while (_lexer.Peek().Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = _lexer.Next();
            var right = ParseTerm();
            value = Checked(op.Kind == TokenKind.Plus ? value + right : value - right, op);
        }

        return value;
    }

    private double ParseTerm()
    {
        var value = ParseUnary();
        while (_lexer.Peek().Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = _lexer.Next();
            var right = ParseUnary();
            if (op.Kind != TokenKind.Star && right == 0)
            {
                value = Fail($"Division by zero at position {op.Position}.");
                continue;
            }

            value = Checked(op.Kind switch
            {
                TokenKind.Star => value * right,
                TokenKind.Slash => value / right,
                _ => value % right, // remainder of truncated division, as in C and JavaScript: -7 % 3 = -1
            }, op);
        }

        return value;
    }

    private double ParseUnary()
    {
        var negative = ParseSigns();
        var value = ParsePower();
        return negative ? -value : value;
    }

    private bool ParseSigns()
    {
        var negative = false;
        while (_lexer.Peek().Kind is TokenKind.Plus or TokenKind.Minus)
        {
            negative ^= _lexer.Next().Kind == TokenKind.Minus;
        }

        return negative;
    }

    private double ParsePower()
    {
        var first = ParsePrimary();
        if (_lexer.Peek().Kind != TokenKind.Caret)
        {
            return first;
        }

        // a ^ -b ^ c = a ^ (-(b ^ c)): collect the chain, then fold it from the right.
        var bases = new List<double> { first };
        var carets = new List<Token>();
        var negations = new List<bool> { false };
        while (_lexer.Peek().Kind == TokenKind.Caret)
        {
            carets.Add(_lexer.Next());
            negations.Add(ParseSigns());
            bases.Add(ParsePrimary());
        }

        var value = negations[^1] ? -bases[^1] : bases[^1];
        for (var i = carets.Count - 1; i >= 0; i--)
        {
            value = Power(bases[i], value, carets[i]);
            if (negations[i])
            {
                value = -value;
            }
        }

        return value;
    }

    private double ParsePrimary()
    {
        var token = _lexer.Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return token.Number;

            case TokenKind.LeftParen:
                Enter(token);
                var value = ParseExpression();
                Expect(TokenKind.RightParen, $"Missing ')' to close the '(' at position {token.Position}.", "')'");
                _depth--;
                return value;

            case TokenKind.Identifier:
                return ParseIdentifier(token);

            case TokenKind.End:
                throw new ExpressionException($"The expression ends too early at position {token.Position}: expected a number, constant, function or '('.");

            default:
                throw new ExpressionException($"Expected a number, constant, function or '(' at position {token.Position}, found {token.Describe()}.");
        }
    }

    private double ParseIdentifier(Token name)
    {
        if (MathLibrary.Constants.TryGetValue(name.Text, out var constant))
        {
            if (_lexer.Peek().Kind == TokenKind.LeftParen)
            {
                throw new ExpressionException($"'{name.Text}' at position {name.Position} is a constant, not a function.");
            }

            return constant;
        }

        if (!MathLibrary.Functions.TryGetValue(name.Text, out var function))
        {
            throw new ExpressionException($"Unknown identifier {name.Describe()} at position {name.Position}. Known: {MathLibrary.KnownNames}.");
        }

        if (_lexer.Peek().Kind != TokenKind.LeftParen)
        {
            throw new ExpressionException($"Function '{function.Name}' at position {name.Position} must be followed by '(' and its arguments.");
        }

        Enter(_lexer.Next());
        var arguments = new List<double>();
        if (_lexer.Peek().Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseExpression());
            while (_lexer.Peek().Kind == TokenKind.Comma)
            {
                _lexer.Next();
                arguments.Add(ParseExpression());
            }
        }

        Expect(TokenKind.RightParen, $"Missing ')' to close the call of '{function.Name}' at position {name.Position}.", "',' or ')'");
        _depth--;

        if (arguments.Count < function.MinArity || arguments.Count > function.MaxArity)
        {
            throw new ExpressionException(
                $"Function '{function.Name}' at position {name.Position} takes {function.DescribeArity()}, got {arguments.Count}.");
        }

        if (_error is not null)
        {
            return double.NaN;
        }

        if (function.Domain is { } domain && !domain(arguments[0]))
        {
            return Fail($"Domain error at position {name.Position}: {function.Name}({Format(arguments[0])}) is not defined for real numbers.");
        }

        var result = function.Apply(arguments);
        return double.IsFinite(result)
            ? result
            : Fail($"Overflow at position {name.Position}: the result of {function.Name}({(arguments.Count == 1 ? Format(arguments[0]) : "…")}) is too large.");
    }

    private double Power(double @base, double exponent, Token caret)
    {
        if (_error is not null)
        {
            return double.NaN;
        }

        if (@base == 0 && exponent < 0)
        {
            return Fail($"Division by zero at position {caret.Position}: 0 raised to a negative power.");
        }

        var value = Math.Pow(@base, exponent);
        if (double.IsNaN(value))
        {
            return Fail($"Domain error at position {caret.Position}: ({Format(@base)})^({Format(exponent)}) is not a real number.");
        }

        return Checked(value, caret);
    }

    private double Checked(double value, Token op)
    {
        if (_error is not null || double.IsFinite(value))
        {
            return value;
        }

        return Fail($"Overflow at position {op.Position}: the result of '{op.Text}' is too large.");
    }

    /// <summary>Remembers the first evaluation error and poisons the value; parsing goes on to find syntax errors.</summary>
    private double Fail(string error)
    {
        _error ??= error;
        return double.NaN;
    }

    private void Enter(Token open)
    {
        if (++_depth > _maxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ExpressionException(
                $"The expression nests parentheses and function calls too deeply at position {open.Position} (the limit is {_maxDepth} levels).");
        }
    }

    private void Expect(TokenKind kind, string missingMessage, string expected)
    {
        var token = _lexer.Next();
        if (token.Kind == kind)
        {
            return;
        }

        throw new ExpressionException(token.Kind == TokenKind.End
            ? missingMessage
            : $"Unexpected {token.Describe()} at position {token.Position}: expected an operator or {expected}.");
    }
}
