using System.Text;

namespace McpGateway.Auth;

/// <summary>Open-redirect protection: after sign-in the gateway only returns to a path of its own origin.</summary>
internal static class ReturnUrl
{
    /// <summary>
    /// The longest return URL (once ASCII) a sign-in accepts: it travels inside the protected state, and
    /// the authorization server's redirect back to the callback must stay within the request-line limit.
    /// </summary>
    public const int MaxLength = 2048;

    /// <summary>
    /// True for a rooted local path such as <c>/chat?x=1</c>; false for absolute URLs, scheme-relative
    /// (<c>//host</c>), back-slash tricks (<c>/\host</c>), and control characters.
    /// </summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/')
        {
            return false;
        }

        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return false;
        }

        return !url.Any(c => char.IsControl(c) || c == '\\');
    }

    /// <summary>
    /// Percent-encodes every non-ASCII character as UTF-8 (RFC 3987 §3.1), leaving ASCII as it is: a
    /// Location header holds only ASCII, and the browser shows and requests the same path. An encoded
    /// look-alike of a slash (U+FF0F, U+2215 …) stays a path character instead of becoming a separator.
    /// </summary>
    public static string ToAscii(string url)
    {
        if (Ascii.IsValid(url))
        {
            return url;
        }

        var encoded = new StringBuilder(url.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                encoded.Append((char)rune.Value);
                continue;
            }

            // A lone surrogate enumerates as U+FFFD, so the result is always valid UTF-8.
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
