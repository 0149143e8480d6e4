using System.Collections.Frozen;
using System.Net;
using System.Text;

namespace McpGateway.Tools.WebSearch;

/// <summary>
/// Turns a search engine's HTML-ish title or snippet into plain text. Markup is removed: tags of HTML
/// elements, custom elements (<c>&lt;x-y&gt;</c>), any tag carrying attributes (<c>&lt;x onerror=…&gt;</c>),
/// comments and declarations, and the content of <c>script</c> and <c>style</c>; entities are
/// decoded, and markup hidden behind entities (<c>&amp;lt;script&amp;gt;</c>) is removed as well.
/// Angle brackets that are text, as in <c>vector&lt;int&gt;</c> or <c>cp &lt;file&gt;</c>, stay. White space
/// is collapsed and control characters dropped.
/// </summary>
internal static class HtmlText
{
    private static readonly FrozenSet<string> Elements = new[]
    {
        "a", "abbr", "article", "aside", "audio", "b", "base", "bdi", "bdo", "big", "blink", "blockquote", "body", "br",
        "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "dialog",
        "div", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "img", "input", "ins",
        "kbd", "label", "legend", "li", "link", "main", "mark", "marquee", "math", "meta", "nav", "nobr", "noscript", "object",
        "ol", "optgroup", "option", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "script", "section", "select",
        "small", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td", "template",
        "textarea", "tfoot", "th", "thead", "title", "tr", "tt", "u", "ul", "video", "wbr", "xmp",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> BlockElements = new[]
    {
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote",
        "dd", "dt", "section", "article", "header", "footer", "table", "pre",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> RawTextElements = new[] { "script", "style", "xmp", "textarea", "title" }
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static string ToPlainText(string html, int maxLength)
    {
        var text = StripMarkup(WebUtility.HtmlDecode(StripMarkup(html)));
        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (builder.Length > maxLength)
            {
                break;
            }
        }

        if (builder.Length <= maxLength)
        {
            return builder.ToString();
        }

        var cut = maxLength - 1;
        if (cut > 0 && char.IsHighSurrogate(builder[cut - 1]))
        {
            cut--;
        }

        return builder.ToString(0, cut) + "…";
    }

    private static string StripMarkup(string html)
    {
        if (!html.Contains('<', StringComparison.Ordinal))
        {
            return html;
        }

        var builder = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            if (html[i] != '<')
            {
                builder.Append(html[i++]);
                continue;
            }

            if (html.AsSpan(i).StartsWith("<!--", StringComparison.Ordinal))
            {
                var endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = endComment < 0 ? html.Length : endComment + 3;
                continue;
            }

            var end = html.IndexOf('>', i + 1);
            var inside = html.AsSpan(i + 1, (end < 0 ? html.Length : end) - i - 1);
            if (!IsMarkup(inside, out var name, out var opening))
            {
                builder.Append('<');
                i++;
                continue;
            }

            if (end < 0)
            {
                break; // half a tag at the end: drop it rather than show it
            }

            if (BlockElements.Contains(name))
            {
                builder.Append(' ');
            }

            i = end + 1;
            if (opening && RawTextElements.Contains(name))
            {
                // The content of a script or style element is code, not text.
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                var closeEnd = close < 0 ? -1 : html.IndexOf('>', close);
                i = closeEnd < 0 ? html.Length : closeEnd + 1;
            }
        }

        return builder.ToString();
    }

    /// <summary>Whether the text between '&lt;' and '&gt;' is a tag rather than words in angle brackets.</summary>
    private static bool IsMarkup(ReadOnlySpan<char> inside, out string name, out bool opening)
    {
        name = "";
        opening = false;
        if (inside.IsEmpty)
        {
            return false;
        }

        if (inside[0] is '!' or '?')
        {
            return true; // <!DOCTYPE …>, <![CDATA[…]]>, <?xml …?>
        }

        var closing = inside[0] == '/';
        var start = closing ? 1 : 0;
        var length = 0;
        while (start + length < inside.Length && (char.IsAsciiLetterOrDigit(inside[start + length]) || inside[start + length] == '-'))
        {
            length++;
        }

        if (length == 0 || !char.IsAsciiLetter(inside[start]))
        {
            return false;
        }

        name = inside.Slice(start, length).ToString();
        var rest = inside[(start + length)..];
        opening = !closing && !rest.TrimEnd().EndsWith('/');
        var known = Elements.Contains(name) || name.Contains('-', StringComparison.Ordinal);
        var hasAttributes = !closing && rest.Length > 0 && (char.IsWhiteSpace(rest[0]) || rest[0] == '/') && rest.Contains('=');
        return (known && (rest.IsEmpty || char.IsWhiteSpace(rest[0]) || rest[0] == '/')) || hasAttributes;
    }
}
