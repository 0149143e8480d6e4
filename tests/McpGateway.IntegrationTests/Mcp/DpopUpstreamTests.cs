using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using McpGateway.Auth.Dpop;
using McpGateway.Auth.Tokens;
using McpGateway.IntegrationTests.Auth;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Mcp;

/// <summary>
/// DPoP-bound tokens (RFC 9449, oidc-provider at its defaults) upstream: the MCP front and the chat server check every
/// proof (signature by its jwk, thumbprint = the introspected cnf.jkt, htm, htu, iat, ath, unused jti; deploy/dev/lib/dpop.mjs).
/// </summary>
[Collection(nameof(McpStackCollection))]
public sealed class DpopUpstreamTests(McpStack stack)
{
    private static readonly object Question = new { messages = new[] { new { role = "user", content = "bound?" } } };
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task A_tools_call_through_the_bridge_and_a_chat_request_carry_proofs_the_upstreams_accept()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("dpop-ines");
        await stack.Front.ClearAuditAsync();
        await stack.Chat.ClearAuditAsync();

        var (client, _) = await BrowserSockets.ConnectClientAsync(browser);
        await using (client)
        {
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "bound" });
            Assert.Equal("Echo: bound", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        }

        var admitted = (await stack.Front.AuditAsync()).Where(entry => entry.GetProperty("sub").GetString() == "dpop-ines").ToList();
        Assert.NotEmpty(admitted);
        Assert.All(admitted, entry =>
        {
            Assert.Equal("DPoP", entry.GetProperty("scheme").GetString());
            Assert.True(entry.GetProperty("dpop").GetBoolean(), "the front admitted a request without checking a proof");
        });

        using var answer = await browser.PostAsync("/api/v2/chat", JsonContent.Create(Question));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var seen = Assert.Single(await stack.Chat.AuditAsync());
        Assert.Equal("DPoP", seen.GetProperty("authorization").GetString());
        Assert.True(seen.GetProperty("dpop").GetBoolean());
    }

    [Fact]
    public async Task A_stolen_token_is_refused_by_the_upstreams_without_the_session_key_and_a_proof_is_good_once()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("dpop-thief");
        var id = SessionId.Parse(await LoginTests.SessionReferenceAsync(gateway, browser));
        var tokens = (await gateway.GetRequiredService<SessionTokenService>().GetAccessTokenAsync(id, CancellationToken.None)).Tokens!;
        Assert.True(tokens.IsDpopBound);
        var proofs = new DpopProofFactory(TimeProvider.System);
        var mcp = stack.McpUrl;
        var chat = new Uri(stack.Chat.BaseAddress, "/api/v2/chat");

        // As a bearer token, or with a proof of the thief's own key, the token is worthless.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(mcp, "Bearer", tokens.AccessToken, proof: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(chat, "Bearer", tokens.AccessToken, proof: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(mcp, "DPoP", tokens.AccessToken, proof: null));
        var foreign = proofs.Create(DpopProofFactory.NewKey(), HttpMethod.Post, mcp, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(mcp, "DPoP", tokens.AccessToken, foreign));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(chat, "DPoP", tokens.AccessToken, proofs.Create(DpopProofFactory.NewKey(), HttpMethod.Post, chat, tokens.AccessToken)));

        // A proof of the session key for another URL, or without the token hash, does not do either.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(mcp, "DPoP", tokens.AccessToken, proofs.Create(tokens.DpopKey!, HttpMethod.Post, chat, tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(mcp, "DPoP", tokens.AccessToken, proofs.Create(tokens.DpopKey!, HttpMethod.Post, mcp)));

        // The session key's proof for this very request is accepted once; replayed, it is refused.
        var genuine = proofs.Create(tokens.DpopKey!, HttpMethod.Post, chat, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(chat, "DPoP", tokens.AccessToken, genuine));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(chat, "DPoP", tokens.AccessToken, genuine));
    }

    private static async Task<HttpStatusCode> PostAsync(Uri url, string scheme, string token, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":"hi"}],"stream":false}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }

        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }
}
