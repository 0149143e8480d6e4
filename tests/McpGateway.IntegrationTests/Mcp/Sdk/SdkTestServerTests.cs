using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using McpGateway.IntegrationTests.Infrastructure.Sdk;

namespace McpGateway.IntegrationTests.Mcp.Sdk;

/// <summary>The SDK test servers themselves: what "the upstream saw an active bearer" rests on.</summary>
[Collection(nameof(SdkStackCollection))]
public sealed class SdkTestServerTests(SdkStack stack)
{
    [Fact]
    public async Task The_streamable_http_server_answers_401_with_a_bearer_challenge_without_an_active_token()
    {
        using var http = new HttpClient();
        var since = DateTimeOffset.UtcNow;

        using var missing = await http.PostAsync(stack.Http.McpUrl, new StringContent("{}"));
        using var forged = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, stack.Http.McpUrl)
        {
            Content = new StringContent("{}"),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token") },
        });

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("invalid_token", forged.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        var audit = stack.Http.Audit.Since(since);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, entry => Assert.True(entry is { Active: false, Sub: null, Status: 401 }, $"{entry}"));
        Assert.Null(audit[0].TokenHash);
        Assert.NotNull(audit[1].TokenHash);
    }

    [Fact]
    public async Task The_websocket_server_refuses_the_upgrade_without_an_active_token()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(WebSocketMcpServer.SubProtocol);
        socket.Options.SetRequestHeader("Authorization", "Bearer not-a-token");
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(stack.Socket.McpUrl, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }
}
