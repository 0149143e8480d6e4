using McpGateway.Auth;

namespace McpGateway.Tests.Auth;

public sealed class ReturnUrlTests
{
    public static TheoryData<string> Hostile =>
    [
        "",
        "https://evil.example",
        "http://evil.example/path",
        "HTTPS://evil.example",
        "//evil.example",
        "//evil.example/path",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/ok\\..\\evil",
        "/path\\to",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/ok\0",
        "/ok\u007f",
        "/ok\u0085",
        "\t//evil.example",
        " //evil.example",
        " /ok",
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "%2F%2Fevil.example",
        "%2f%2fevil.example",
        "%5C%5Cevil.example",
        "evil.example",
        "ok",
        "./ok",
        "../ok",
        "~/ok",
        "?x=1",
        "#y",
        "mailto:a@evil.example",
    ];

    public static TheoryData<string> Local =>
    [
        "/",
        "/ok",
        "/ok?x=1#y",
        "/chat/42",
        "/chat?returnUrl=https://evil.example",
        "/a//b",
        "/a/\u00e9t\u00e9",
        "/search?q=%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "/@evil.example",
        "/ok#//evil.example",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_or_non_local_url_is_refused(string url)
        => Assert.False(ReturnUrl.IsLocal(url));

    [Fact]
    public void Null_is_refused()
        => Assert.False(ReturnUrl.IsLocal(null));

    /// <summary>
    /// Percent-encoded slashes or back-slashes after a leading '/' stay in the path: a browser does not
    /// decode them when it follows a redirect, so the navigation stays on this origin.
    /// </summary>
    [Theory]
    [MemberData(nameof(Local))]
    public void Rooted_local_path_is_accepted(string url)
        => Assert.True(ReturnUrl.IsLocal(url));

    [Fact]
    public void Every_ascii_control_character_anywhere_is_refused()
    {
        for (var c = '\0'; c < ' '; c++)
        {
            Assert.False(ReturnUrl.IsLocal("/a" + c + "b"), $"U+{(int)c:X4}");
        }
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/chat?x=1#y", "/chat?x=1#y")]
    [InlineData("/search?q=%2F%2Fevil.example", "/search?q=%2F%2Fevil.example")]
    [InlineData("/caf\u00E9", "/caf%C3%A9")]
    [InlineData("/\u200B/evil.example", "/%E2%80%8B/evil.example")]
    [InlineData("/\uFF0Fevil.example", "/%EF%BC%8Fevil.example")]
    [InlineData("/\u00A0/x", "/%C2%A0/x")]
    [InlineData("/\u2028x", "/%E2%80%A8x")]
    [InlineData("/\U0001F600", "/%F0%9F%98%80")]
    public void Non_ascii_characters_are_percent_encoded_as_utf8_and_ascii_is_kept(string url, string expected)
        => Assert.Equal(expected, ReturnUrl.ToAscii(url));

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character()
        => Assert.Equal("/a%EF%BF%BDb", ReturnUrl.ToAscii("/a" + (char)0xD800 + "b"));

    [Theory]
    [MemberData(nameof(Local))]
    public void Encoding_a_local_path_keeps_it_local_and_ascii(string url)
    {
        var encoded = ReturnUrl.ToAscii(url);

        Assert.True(ReturnUrl.IsLocal(encoded));
        Assert.True(System.Text.Ascii.IsValid(encoded));
    }
}
