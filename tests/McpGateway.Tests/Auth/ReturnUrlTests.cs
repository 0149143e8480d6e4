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
}
