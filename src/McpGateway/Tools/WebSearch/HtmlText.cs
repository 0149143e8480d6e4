using System.Net;
using System.Text;

namespace McpGateway.Tools.WebSearch;

/// <summary>
/// Turns a search engine's HTML-ish title or snippet into plain text: tags, comments, scripts and
/// styles removed, entities decoded, and tags hidden behind entities (<c>&amp;lt;b&amp;gt;</c>)
/// removed as well, white space collapsed, control characters dropped.
/// </summary>
internal static class HtmlText
{
    private static readonly string[] BlockTags = ["br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote"];
    private static readonly string[] RawTextTags = ["script", "style"];

    public static string ToPlainText(string html, int maxLength)
    {
        var text = StripTags(WebUtility.HtmlDecode(StripTags(html)));
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

    private static string StripTags(string html)
    {
        if (!html.Contains('<', StringComparison.Ordinal))
        {
            return html;
        }

        var builder = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c != '<' || i + 1 >= html.Length || !StartsTag(html[i + 1]))
            {
                builder.Append(c);
                i++;
                continue;
            }

            if (html.AsSpan(i).StartsWith("<!--", StringComparison.Ordinal))
            {
                var endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = endComment < 0 ? html.Length : endComment + 3;
                continue;
            }

            var end = html.IndexOf('>', i + 1);
            if (end < 0)
            {
                break; // an unterminated tag: drop the rest rather than show half of it
            }

            var inside = html.AsSpan(i + 1, end - i - 1);
            var name = TagName(inside);
            if (BlockTags.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                builder.Append(' ');
            }

            i = end + 1;
            var opening = inside[0] != '/' && inside[^1] != '/';
            if (opening && RawTextTags.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                // The content of a script or style element is code, not text.
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                var closeEnd = close < 0 ? -1 : html.IndexOf('>', close);
                i = closeEnd < 0 ? html.Length : closeEnd + 1;
            }
        }

        return builder.ToString();
    }

    private static bool StartsTag(char c) => char.IsAsciiLetter(c) || c is '/' or '!' or '?';

    private static string TagName(ReadOnlySpan<char> inside)
    {
        var start = inside.Length > 0 && inside[0] == '/' ? 1 : 0;
        var end = start;
        while (end < inside.Length && char.IsAsciiLetterOrDigit(inside[end]))
        {
            end++;
        }

        return inside[start..end].ToString();
    }
}
