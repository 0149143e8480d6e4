using System.Net;
using McpGateway.Mcp.Upstream;
using McpGateway.Tests.Infrastructure;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class SessionDetachHandlerTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Until_detached_a_delete_reaches_the_server_afterwards_it_is_answered_here_and_other_requests_still_pass()
    {
        var server = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.Accepted));
        var detach = new SessionDetachHandler { InnerHandler = server };
        using var http = new HttpClient(detach) { BaseAddress = new Uri("http://127.0.0.1:9/") };

        using var before = await http.DeleteAsync("mcp", Cancellation);
        detach.Detach();
        using var after = await http.DeleteAsync("mcp", Cancellation);
        using var post = await http.PostAsync("mcp", new StringContent("{}"), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, after.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        Assert.Equal([HttpMethod.Delete, HttpMethod.Post], server.Requests.Select(request => request.Method));
    }
}
