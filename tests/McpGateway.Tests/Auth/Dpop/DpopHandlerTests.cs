using System.Net;
using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Dpop;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace McpGateway.Tests.Auth.Dpop;

public sealed class DpopHandlerTests
{
    private static readonly Uri Token = new("https://idp.test/token");
    private readonly DpopNonces _nonces = new();
    private readonly ClientSigningKey _key = DpopProofFactory.NewKey();
    private readonly List<JsonWebToken> _proofs = [];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private HttpClient Client(Func<int, HttpRequestMessage, HttpResponseMessage> respond)
    {
        var handler = new DpopHandler(new DpopProofFactory(new FakeTimeProvider()), _nonces, NullLogger<DpopHandler>.Instance)
        {
            InnerHandler = new FakeHttpHandler(request =>
            {
                _proofs.Add(new JsonWebToken(Assert.Single(request.Headers.GetValues("DPoP"))));
                return respond(_proofs.Count, request);
            }),
        };
        return new HttpClient(handler);
    }

    private HttpRequestMessage Request(HttpMethod method, Uri uri, string? dpopToken = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = method == HttpMethod.Post ? new FormUrlEncodedContent([KeyValuePair.Create("a", "b")]) : null };
        request.Options.Set(DpopHandler.Key, _key);
        if (dpopToken is not null)
        {
            request.Headers.Authorization = new("DPoP", dpopToken);
        }

        return request;
    }

    private static HttpResponseMessage WithNonce(HttpResponseMessage response, string nonce)
    {
        response.Headers.Add("DPoP-Nonce", nonce);
        return response;
    }

    [Fact]
    public async Task Token_endpoint_nonce_error_is_left_to_the_caller_whose_form_may_hold_a_one_time_assertion_and_the_nonce_is_kept()
    {
        using var http = Client((call, _) => call == 1
            ? WithNonce(FakeHttpHandler.Json(HttpStatusCode.BadRequest, """{"error":"use_dpop_nonce","error_description":"nonce required"}"""), "n-1")
            : FakeHttpHandler.Json(HttpStatusCode.OK, """{"access_token":"t","token_type":"DPoP"}"""));

        using var refused = await http.SendAsync(Request(HttpMethod.Post, Token), Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(await DpopNonces.IsNonceChallengeAsync(refused, Cancellation));
        Assert.Single(_proofs);

        using var retried = await http.SendAsync(Request(HttpMethod.Post, Token), Cancellation);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.False(_proofs[0].TryGetPayloadValue<string>("nonce", out _));
        Assert.Equal("n-1", _proofs[1].GetPayloadValue<string>("nonce"));
        Assert.NotEqual(_proofs[0].Id, _proofs[1].Id);
    }

    [Fact]
    public async Task Resource_server_nonce_challenge_is_retried_with_the_nonce_and_the_token_hash()
    {
        var resource = new Uri("https://mcp.test/mcp");
        using var http = Client((call, _) =>
        {
            if (call > 1)
            {
                return FakeHttpHandler.Json(HttpStatusCode.OK, "{}");
            }

            var challenge = WithNonce(new HttpResponseMessage(HttpStatusCode.Unauthorized), "n-2");
            challenge.Headers.WwwAuthenticate.ParseAdd("DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"");
            return challenge;
        });

        using var response = await http.SendAsync(Request(HttpMethod.Post, resource, "access-1"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("n-2", _proofs[1].GetPayloadValue<string>("nonce"));
        Assert.Equal(DpopProofFactory.AccessTokenHash("access-1"), _proofs[1].GetPayloadValue<string>("ath"));
    }

    [Fact]
    public async Task A_nonce_is_remembered_for_the_next_request_to_the_same_origin_only()
    {
        using var http = Client((call, _) => call == 1 ? WithNonce(FakeHttpHandler.Json(HttpStatusCode.OK, "{}"), "n-3") : FakeHttpHandler.Json(HttpStatusCode.OK, "{}"));

        (await http.SendAsync(Request(HttpMethod.Post, Token), Cancellation)).Dispose();
        (await http.SendAsync(Request(HttpMethod.Post, new Uri("https://idp.test/token/revocation")), Cancellation)).Dispose();
        (await http.SendAsync(Request(HttpMethod.Post, new Uri("https://other.test/token")), Cancellation)).Dispose();

        Assert.Equal("n-3", _proofs[1].GetPayloadValue<string>("nonce"));
        Assert.False(_proofs[2].TryGetPayloadValue<string>("nonce", out _));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""")]
    [InlineData(HttpStatusCode.BadRequest, "not json")]
    [InlineData(HttpStatusCode.Unauthorized, "")]
    public async Task Other_refusals_are_answered_as_they_are_without_a_retry(HttpStatusCode status, string body)
    {
        using var http = Client((_, _) => WithNonce(FakeHttpHandler.Text(status, body), "n-4"));

        using var response = await http.SendAsync(Request(HttpMethod.Post, Token), Cancellation);

        Assert.Equal(status, response.StatusCode);
        Assert.Single(_proofs);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task A_request_without_a_session_key_gets_no_proof()
    {
        var inner = new FakeHttpHandler(request => FakeHttpHandler.Json(request.Headers.Contains("DPoP") ? HttpStatusCode.BadRequest : HttpStatusCode.OK, "{}"));
        using var http = new HttpClient(new DpopHandler(new DpopProofFactory(TimeProvider.System), _nonces, NullLogger<DpopHandler>.Instance) { InnerHandler = inner });

        using var response = await http.PostAsync(Token, new StringContent(""), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
