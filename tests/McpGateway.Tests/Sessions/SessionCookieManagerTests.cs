using McpGateway.Sessions;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Tests.Sessions;

public sealed class SessionCookieManagerTests
{
    private const string Name = "__Host-Http-mcpgw";

    [Theory]
    [InlineData("__Host-Http-mcpgw=CfDJ8abc_-1", "CfDJ8abc_-1")]
    [InlineData("theme=dark; __Host-Http-mcpgw=CfDJ8abc ;other=1", "CfDJ8abc")]
    [InlineData("x__Host-Http-mcpgw=nope; __Host-Http-mcpgw=CfDJ8abc", "CfDJ8abc")]
    [InlineData("__Host-Http-mcpgw=one; __host-http-MCPGW=two", "")]
    [InlineData("__host-http-mcpgw=CfDJ8abc", "")]
    [InlineData("__Host-Http-mcpgw=\"CfDJ8abc\"", "")]
    [InlineData("__Host-Http-mcpgw=CfDJ8%41bc", "")]
    [InlineData("__Host-Http-mcpgw=chunks-2", "")]
    [InlineData("__Host-Http-mcpgw=", "")]
    [InlineData("theme=dark", "")]
    public void Only_a_single_plain_occurrence_of_the_name_is_read_from_the_header(string header, string expected)
        => Assert.Equal(expected, SessionCookieManager.FindPlainValue(header, Name).ToString());

    [Fact]
    public void A_header_in_several_lines_is_left_to_the_chunking_manager()
        => Assert.True(SessionCookieManager.FindPlainValue(new Microsoft.Extensions.Primitives.StringValues(["a=1", Name + "=v"]), Name).IsEmpty);

    [Fact]
    public void A_value_seen_before_is_answered_as_the_same_string_and_every_answer_matches_the_request_cookies()
    {
        var manager = new SessionCookieManager();
        var first = Request("theme=dark; " + Name + "=CfDJ8value");
        var second = Request(Name + "=CfDJ8value; theme=light");
        var tossed = Request(Name + "=CfDJ8value; " + Name.ToUpperInvariant() + "=CfDJ8evil");

        var fromFirst = manager.GetRequestCookie(first, Name);
        var fromSecond = manager.GetRequestCookie(second, Name);
        var fromTossed = manager.GetRequestCookie(tossed, Name);

        Assert.Equal("CfDJ8value", fromFirst);
        Assert.Same(fromFirst, fromSecond);
        Assert.Equal(tossed.Request.Cookies[Name], fromTossed);
        Assert.Null(manager.GetRequestCookie(Request("theme=dark"), Name));
    }

    private static DefaultHttpContext Request(string cookieHeader)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = cookieHeader;
        return context;
    }
}
