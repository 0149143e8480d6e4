using McpGateway.Tools.WebSearch;

namespace McpGateway.Tests.Tools.WebSearch;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("<b>bold</b> and <i>italic</i>", "bold and italic")]
    [InlineData("<span class=\"highlight\">Hel</span>lo", "Hello")]
    [InlineData("line<br>break<br/>again<p>para</p>", "line break again para")]
    [InlineData("a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39; &#x263A;", "a & b < c > d \"e\" 'f' ☺")]
    [InlineData("&lt;b&gt;escaped tag&lt;/b&gt;", "escaped tag")]
    [InlineData("before<script>alert('x')</script>after", "beforeafter")]
    [InlineData("before<style>body{color:red}</style> after", "before after")]
    [InlineData("&lt;script&gt;steal()&lt;/script&gt;kept", "kept")]
    [InlineData("x<!-- hidden -->y", "xy")]
    [InlineData("2 < 3 and 5 > 4", "2 < 3 and 5 > 4")]
    [InlineData("unterminated <b class=", "unterminated")]
    [InlineData("std::vector<int> and List<T>", "std::vector<int> and List<T>")]
    [InlineData("Hello <World>", "Hello <World>")]
    [InlineData("cp <source> <dest>", "cp <source> <dest>")]
    [InlineData("a<b and c>d", "ad")]
    [InlineData("1 < 2 > 0", "1 < 2 > 0")]
    [InlineData("<x onerror=alert(1)>shown", "shown")]
    [InlineData("<img src=x onerror=alert(1)>after", "after")]
    [InlineData("<svg/onload=alert(1)>after", "after")]
    [InlineData("<my-widget>inner</my-widget>", "inner")]
    [InlineData("<!DOCTYPE html><?xml version=\"1.0\"?>doc", "doc")]
    [InlineData("&lt;img src=x onerror=alert(1)&gt;kept", "kept")]
    [InlineData("&lt;int&gt; stays", "<int> stays")]
    [InlineData("a <3 b", "a <3 b")]
    [InlineData("<>empty</>", "<>empty</>")]
    [InlineData("<br/>x<hr />y", "x y")]
    [InlineData("  lots \n\t of   white\r\nspace  ", "lots of white space")]
    [InlineData("control\u0000\u0007chars", "control chars")]
    [InlineData("<SCRIPT>x</SCRIPT>upper", "upper")]
    [InlineData("&nbsp;&nbsp;padded&nbsp;", "padded")]
    [InlineData("", "")]
    public void Turns_html_into_plain_text(string html, string expected)
        => Assert.Equal(expected, HtmlText.ToPlainText(html, 1000));

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis_at_the_limit()
    {
        var text = HtmlText.ToPlainText(new string('a', 50), 10);

        Assert.Equal("aaaaaaaaa…", text);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var text = HtmlText.ToPlainText(string.Concat(Enumerable.Repeat("😀", 20)), 10);

        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 4)) + "…", text);
    }
}
