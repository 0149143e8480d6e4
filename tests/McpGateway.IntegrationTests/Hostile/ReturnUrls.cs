using System.Text;
using System.Text.RegularExpressions;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// Generated <c>returnUrl</c> values (as the gateway decodes them), meant to make the post-login
/// redirect leave the gateway's origin, and a model of what a browser does with a <c>Location</c>
/// value (WHATWG URL parsing, the parts that matter for origin changes).
/// </summary>
internal static partial class ReturnUrls
{
    private static readonly string[] LeadIns =
    [
        "//", "///", "////", "\\\\", "\\/", "/\\", "/\\/", "\\//", "/%2F", "%2F%2F", "/%2f/", "/%5C", "%5C%5C", "/%09/", "/\t/", "\t//",
        " //", "/ /", "\r\n//", "\n//", "//%0d%0a", "/.//", "/./\\", "http://", "https://", "HTTPS://", "hTtP:/", "http:", "http:\\\\",
        "https:/\\", "//@", "/@", "@", ":/", "ftp://", "ws://", "wss://", "//user:pass@", "/\u3000/", "/\u00A0/", "\uFEFF//", "\uFF0F\uFF0F",
        "/\uFF0F", "\u2215\u2215", "\u2044\u2044", "/\u200B/", "\u2028//", "/\u2029/", "%E2%80%A8//", "/%E3%80%80/", "\u0000//", "/\u0000/",
        "\\\t\\", "/\\\t/", "/%00/", "/.\\", "/..//", "/../\\", "/%2e%2e//", "//\\", "/\\\\", "\u3000//", "\u00A0//", "\u000B//", "\u000C//",
        "\u0085//", "/%0A/", "%0A//", "\\",
    ];

    private static readonly string[] Hosts =
    [
        "evil.example", "evil.example:443", "127.0.0.1.evil.example", "[::1]", "localhost", "0x7f000001", "2130706433", "evil.example%2F",
        "evil\u3002example", "\uFF45\uFF56\uFF49\uFF4C.example", "evil.example\u0000", "EVIL.EXAMPLE", "xn--vil-9la.example", "evil.example.",
        "evil%2Eexample", "evil.example%09", "evil.example#", "evil.example?",
    ];

    private static readonly string[] Tails = ["", "/", "/path", "?q=1", "#frag", "/%2e%2e", "@127.0.0.1", ":80", "\\@127.0.0.1", "/\u00E9"];

    private static readonly string[] SchemePayloads =
    [
        "javascript:alert(1)", "JavaScript:alert(document.domain)", "java\tscript:alert(1)", "java%0ascript:alert(1)", " javascript:alert(1)",
        "\u0001javascript:alert(1)", "javascript://%0aalert(1)", "javascript:/\\/evil.example", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:,hello", "DATA:text/html,x", "vbscript:msgbox(1)", "file:///etc/passwd", "about:blank", "blob:https://evil.example/1", "mailto:a@evil.example",
        "tel:123", "//javascript:alert(1)", "/javascript:alert(1)", "\\javascript:alert(1)", "jav&#x09;ascript:alert(1)", "%6Aavascript:alert(1)",
    ];

    /// <summary>Local paths a browser keeps on the gateway's origin; the gateway may accept them.</summary>
    public static readonly string[] Local =
    [
        "/", "/chat", "/chat?x=1#y", "/a/b/c", "/%2F%2Fevil.example", "/.well-known/x", "/@evil.example", "/caf\u00E9", "/search?q=//evil.example",
        "/x#//evil.example", "/%5Cevil.example", "/ok:80", "/path/../other",
    ];

    public static IReadOnlyList<string> Generate(Random random, int count)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var payload in SchemePayloads.Concat(Local))
        {
            values.Add(payload);
        }

        foreach (var leadIn in LeadIns)
        {
            values.Add(leadIn + "evil.example");
        }

        while (values.Count < count)
        {
            var value = LeadIns[random.Next(LeadIns.Length)] + Hosts[random.Next(Hosts.Length)] + Tails[random.Next(Tails.Length)];
            values.Add(random.Next(4) == 0 ? MixCase(random, value) : value);
        }

        return [.. values];
    }

    /// <summary>
    /// Whether a browser following <c>Location: <paramref name="location"/></c> from a page of the gateway
    /// would leave its origin: it strips leading and trailing C0 controls and spaces, drops tabs and line
    /// breaks anywhere, reads a backslash as a slash in http(s) URLs, and treats a leading "//" as an
    /// authority. Any scheme counts as leaving (javascript:, data:, or another origin).
    /// </summary>
    public static bool LeavesOrigin(string location)
    {
        var trimmed = location.Trim([.. Enumerable.Range(0, 0x21).Select(code => (char)code)]);
        var cleaned = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c is not ('\t' or '\n' or '\r'))
            {
                cleaned.Append(c);
            }
        }

        var value = cleaned.ToString();
        return Scheme().IsMatch(value) || value.Replace('\\', '/').StartsWith("//", StringComparison.Ordinal);
    }

    private static string MixCase(Random random, string value)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(2) == 0 ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();
}
