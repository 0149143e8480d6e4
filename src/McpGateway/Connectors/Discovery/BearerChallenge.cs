using System.Net.Http.Headers;
using System.Text;

namespace McpGateway.Connectors.Discovery;

/// <summary>
/// The parameters of a <c>Bearer</c> challenge (RFC 6750 §3, RFC 9110 §11.6.1): <c>resource_metadata</c> (RFC 9728 §5.1),
/// <c>scope</c>, <c>error</c>. Parameter names are case-insensitive; values are tokens or quoted strings.
/// </summary>
internal sealed record BearerChallenge(IReadOnlyDictionary<string, string> Parameters)
{
    public const string Scheme = "Bearer";

    public string? ResourceMetadata => Parameters.GetValueOrDefault("resource_metadata");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>The first Bearer challenge among the response's <c>WWW-Authenticate</c> headers, or null.</summary>
    public static BearerChallenge? From(HttpHeaderValueCollection<AuthenticationHeaderValue> challenges)
    {
        foreach (var challenge in challenges)
        {
            if (string.Equals(challenge.Scheme, Scheme, StringComparison.OrdinalIgnoreCase))
            {
                return new BearerChallenge(ParseParameters(challenge.Parameter ?? ""));
            }
        }

        return null;
    }

    /// <summary>Parses <c>name=value, name="quoted \" value"</c>; malformed pieces are skipped, the first of a repeated name wins.</summary>
    public static IReadOnlyDictionary<string, string> ParseParameters(string text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            SkipSeparators(text, ref i);
            var name = ReadToken(text, ref i);
            SkipSpaces(text, ref i);
            // Not a parameter: a bare word, or a token68 such as "abc==" (its '=' padding is not a value).
            if (name.Length == 0 || i >= text.Length || text[i] != '=' || (i + 1 < text.Length && text[i + 1] == '='))
            {
                while (i < text.Length && text[i] != ',')
                {
                    i++;
                }

                continue;
            }

            i++;
            SkipSpaces(text, ref i);
            var quoted = i < text.Length && text[i] == '"';
            var value = quoted ? ReadQuoted(text, ref i) : ReadToken(text, ref i);
            if (quoted || value.Length > 0)
            {
                parameters.TryAdd(name, value);
            }
        }

        return parameters;
    }

    private static void SkipSeparators(string text, ref int i)
    {
        while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
        {
            i++;
        }
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && (text[i] == ' ' || text[i] == '\t'))
        {
            i++;
        }
    }

    private static string ReadToken(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] is not (',' or '=' or '"' or ' ' or '\t'))
        {
            i++;
        }

        return text[start..i];
    }

    private static string ReadQuoted(string text, ref int i)
    {
        var value = new StringBuilder();
        i++;
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            value.Append(text[i]);
            i++;
        }

        i++;
        return value.ToString();
    }
}
