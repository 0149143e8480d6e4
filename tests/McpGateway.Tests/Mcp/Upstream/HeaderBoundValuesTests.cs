using System.Text.Json.Nodes;
using McpGateway.Mcp.Upstream;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class HeaderBoundValuesTests
{
    [Theory]
    [InlineData("tools/call", """{"name":"a\nb"}""")]
    [InlineData("tools/call", """{"name":"a\u0000b"}""")]
    [InlineData("prompts/get", """{"name":"a\r\nInjected: 1"}""")]
    [InlineData("resources/read", """{"uri":"test://a\nb"}""")]
    [InlineData("resources/read", """{"uri":"test://caf\u00e9"}""")]
    public void A_name_or_uri_that_would_go_into_a_header_must_be_printable_ascii(string method, string parameters)
    {
        var problem = HeaderBoundValues.Problem(Request(method, parameters));

        Assert.NotNull(problem);
        Assert.Equal((int)McpErrorCode.InvalidParams, problem.Code);
    }

    [Theory]
    [InlineData("tools/list\n")]
    [InlineData("notifications/x\u0000")]
    [InlineData("tööls/list")]
    public void A_method_that_is_not_printable_ascii_is_an_invalid_request(string method)
    {
        Assert.Equal((int)McpErrorCode.InvalidRequest, HeaderBoundValues.Problem(Request(method, "{}"))?.Code);
        Assert.Equal((int)McpErrorCode.InvalidRequest, HeaderBoundValues.Problem(new JsonRpcNotification { Method = method })?.Code);
    }

    [Theory]
    [InlineData("tools/call", """{"name":"echo","arguments":{"message":"line\nbreak café"}}""")]
    [InlineData("resources/read", """{"uri":"test://static/resource/1"}""")]
    [InlineData("prompts/get", """{"name":"simple prompt"}""")]
    [InlineData("tools/call", """{"name":7}""")]
    [InlineData("sampling/other", """{"name":"a\nb","uri":"a\nb"}""")]
    [InlineData("tools/list", null)]
    public void Values_that_stay_in_the_body_are_not_checked(string method, string? parameters)
        => Assert.Null(HeaderBoundValues.Problem(Request(method, parameters)));

    [Fact]
    public void Responses_are_not_checked()
        => Assert.Null(HeaderBoundValues.Problem(new JsonRpcResponse { Id = new RequestId(1), Result = new JsonObject { ["name"] = "a\nb" } }));

    private static JsonRpcRequest Request(string method, string? parameters)
        => new() { Id = new RequestId(1), Method = method, Params = parameters is null ? null : JsonNode.Parse(parameters) };
}
