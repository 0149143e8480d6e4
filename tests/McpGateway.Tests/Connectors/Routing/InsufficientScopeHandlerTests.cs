using System.Net;
using McpGateway.Mcp.Upstream;

namespace McpGateway.Tests.Connectors.Routing;

public sealed class InsufficientScopeHandlerTests
{
    private sealed class Answering(HttpResponseMessage response) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(response);
    }

    private static HttpClient Client(HttpStatusCode status, string? challenge)
    {
        var response = new HttpResponseMessage(status);
        if (challenge is not null)
        {
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", challenge);
        }

        return new HttpClient(new InsufficientScopeHandler("two") { InnerHandler = new Answering(response) });
    }

    [Fact]
    public async Task A_403_insufficient_scope_becomes_the_connectors_exception_with_the_scope()
    {
        using var client = Client(HttpStatusCode.Forbidden, """Bearer error="insufficient_scope", scope="files:read files:write", error_description="needs \"write\"" """);

        var failure = await Assert.ThrowsAsync<ConnectorInsufficientScopeException>(() => client.PostAsync("http://127.0.0.1/mcp", null, TestContext.Current.CancellationToken));

        Assert.Equal("two", failure.Connector);
        Assert.Equal("files:read files:write", failure.Scope);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, null)]
    [InlineData(HttpStatusCode.Forbidden, "Bearer error=\"invalid_token\"")]
    [InlineData(HttpStatusCode.Unauthorized, "Bearer error=\"insufficient_scope\", scope=\"a\"")]
    public async Task Any_other_answer_passes_through(HttpStatusCode status, string? challenge)
    {
        using var client = Client(status, challenge);

        using var response = await client.PostAsync("http://127.0.0.1/mcp", null, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public void Auth_parameters_read_tokens_and_quoted_strings()
    {
        var values = InsufficientScopeHandler.AuthParameters("""error=insufficient_scope, scope="a b", resource_metadata="https://x/.well-known/oauth-protected-resource" """);

        Assert.Equal("insufficient_scope", values["error"]);
        Assert.Equal("a b", values["scope"]);
        Assert.Equal("https://x/.well-known/oauth-protected-resource", values["resource_metadata"]);
    }
}
