using System.Collections.Concurrent;
using System.Net;
using McpGateway.Connectors;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;

namespace McpGateway.Tests.Connectors.Routing;

public sealed class ConnectorTokenHandlerTests
{
    private static readonly Connector Two = new("two", new Uri("http://127.0.0.1:2/mcp"), ConnectorAuthorization.Discover, "two__", "", "", "");

    private sealed class Credentials(string token, string? replacement) : IConnectorCredentials
    {
        public int Replacements { get; private set; }

        public Task<string> GetAccessTokenAsync(SessionId session, Connector connector, CancellationToken cancellationToken) => Task.FromResult(token);

        public Task<string?> ReplaceRejectedAsync(SessionId session, Connector connector, string rejected, CancellationToken cancellationToken)
        {
            Replacements++;
            return Task.FromResult(replacement);
        }

        public ConcurrentQueue<string> Demanded { get; } = new();

        public Task InsufficientScopeAsync(SessionId session, Connector connector, string scope, CancellationToken cancellationToken)
        {
            Demanded.Enqueue(connector.Name + ":" + scope);
            return Task.CompletedTask;
        }
    }

    /// <summary>Answers 401 to every token but <paramref name="accepted"/>, and records what each request carried.</summary>
    private sealed class Server(string? accepted) : HttpMessageHandler
    {
        public ConcurrentQueue<(string? Authorization, bool Cookie)> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.Authorization?.ToString();
            Seen.Enqueue((authorization, request.Headers.Contains("Cookie")));
            return Task.FromResult(new HttpResponseMessage(accepted is not null && authorization == "Bearer " + accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized));
        }
    }

    private static HttpRequestMessage Post()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:2/mcp");
        request.Headers.TryAddWithoutValidation("Cookie", "mcpgw=secret");
        return request;
    }

    [Fact]
    public async Task The_connectors_token_goes_on_the_request_and_no_cookie()
    {
        var server = new Server("t1");
        using var client = new HttpClient(new ConnectorTokenHandler(new Credentials("t1", null), SessionId.New(), Two) { InnerHandler = server });

        using var response = await client.SendAsync(Post(), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([("Bearer t1", false)], server.Seen);
    }

    [Fact]
    public async Task A_401_is_retried_once_with_the_replacement()
    {
        var server = new Server("t2");
        var credentials = new Credentials("t1", "t2");
        using var client = new HttpClient(new ConnectorTokenHandler(credentials, SessionId.New(), Two) { InnerHandler = server });

        using var response = await client.SendAsync(Post(), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Bearer t1", "Bearer t2"], server.Seen.Select(seen => seen.Authorization));
        Assert.Equal(1, credentials.Replacements);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("t1")]
    [InlineData("t3")]
    public async Task Without_a_usable_replacement_the_request_fails_as_authorization_required(string? replacement)
    {
        var server = new Server(null);
        using var client = new HttpClient(new ConnectorTokenHandler(new Credentials("t1", replacement), SessionId.New(), Two) { InnerHandler = server });

        var failure = await Assert.ThrowsAsync<ConnectorAuthorizationRequiredException>(() => client.SendAsync(Post(), TestContext.Current.CancellationToken));

        Assert.Equal("two", failure.Connector);
        Assert.InRange(server.Seen.Count, 1, 2);
    }

    [Fact]
    public async Task None_mode_sends_no_authorization_and_no_cookie()
    {
        var server = new Server(null);
        using var client = new HttpClient(new NoCredentialsHandler { InnerHandler = server });
        var request = Post();
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer leaked");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal([(null, false)], server.Seen.Select(seen => (seen.Authorization, seen.Cookie)));
    }

    [Fact]
    public async Task A_step_up_demand_is_told_to_the_credentials_and_still_fails_the_request()
    {
        var credentials = new Credentials("t1", null);
        var forbidden = new HttpResponseMessage(HttpStatusCode.Forbidden);
        forbidden.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"mcp mcp:admin\"");
        using var client = new HttpClient(new ConnectorTokenHandler(credentials, SessionId.New(), Two)
        {
            InnerHandler = new InsufficientScopeHandler("two") { InnerHandler = new Answering(forbidden) },
        });

        var failure = await Assert.ThrowsAsync<ConnectorInsufficientScopeException>(() => client.SendAsync(Post(), TestContext.Current.CancellationToken));

        Assert.Equal("mcp mcp:admin", failure.Scope);
        Assert.Equal(["two:mcp mcp:admin"], credentials.Demanded);
    }

    [Fact]
    public async Task A_plain_403_is_no_step_up_demand()
    {
        var credentials = new Credentials("t1", null);
        using var client = new HttpClient(new ConnectorTokenHandler(credentials, SessionId.New(), Two)
        {
            InnerHandler = new InsufficientScopeHandler("two") { InnerHandler = new Answering(new HttpResponseMessage(HttpStatusCode.Forbidden)) },
        });

        using var response = await client.SendAsync(Post(), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(credentials.Demanded);
    }

    private sealed class Answering(HttpResponseMessage response) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(response);
    }
}
