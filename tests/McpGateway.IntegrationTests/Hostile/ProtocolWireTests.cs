using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using McpGateway.IntegrationTests.Faults;
using McpGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.JsonWebTokens;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// What the gateway actually sends to the authorization server, read on the wire (a relay in front of
/// the provider records the plain-http requests): the security properties RFC 9700 and the BFF draft
/// ask of the sign-in, the code exchange and the refresh, which a browser cannot see.
/// </summary>
[Collection(nameof(HostileCollection))]
public sealed class ProtocolWireTests(HostileStack stack, ITestOutputHelper output)
{
    /// <param name="method">private_key_jwt is the default against this provider; client_secret_post the configured fallback.</param>
    [Theory]
    [InlineData("private_key_jwt")]
    [InlineData("client_secret_post")]
    public async Task Sign_in_is_a_pushed_code_request_with_pkce_s256_state_and_nonce_and_every_token_request_authenticates_the_client(string method)
    {
        await using var provider = await ProxiedProvider.StartAsync(accessTokenTtl: 4);
        await using var gateway = GatewayHost.Start(new GatewaySettings
        {
            Authority = provider.Issuer,
            RedisConfiguration = FaultStack.WithLibraryTimeouts(stack.Redis),
            TokenEndpointAuthMethod = method == "private_key_jwt" ? null : method,
        });
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();

        // The front channel carries no parameter of the request itself, only a reference to the pushed one.
        using var started = await browser.GetAsync("/auth/login?returnUrl=/wire");
        Assert.Equal(HttpStatusCode.Found, started.StatusCode);
        var authorize = started.Headers.Location!;
        Assert.Equal(["client_id", "request_uri"], QueryHelpers.ParseQuery(authorize.Query).Keys.Order(StringComparer.Ordinal));
        var callback = await OAuthFlow.FollowToCallbackAsync(browser, authorize, "wire-user");
        Assert.Equal(provider.Issuer, OAuthFlow.Parameter(callback, "iss"));
        using (var signedIn = await browser.GetAsync(callback.AbsoluteUri))
        {
            Assert.Equal("/wire", signedIn.Headers.Location?.OriginalString);
        }

        var requests = Requests(provider.Proxy.Sent);
        output.WriteLine("to the provider: " + string.Join(", ", requests.Select(request => $"{request.Method} {request.Path}")));
        var pushed = Assert.Single(requests, request => request.Method == "POST" && request.Path == "/request");
        Assert.Equal("code", pushed.Form["response_type"]);
        Assert.Equal("S256", pushed.Form["code_challenge_method"]);
        Assert.Equal(43, pushed.Form["code_challenge"].ToString().Length);
        Assert.True(pushed.Form["state"].ToString().Length >= 32, "no state, or a short one");
        Assert.True(pushed.Form["nonce"].ToString().Length >= 32, "no nonce, or a short one");
        Assert.Equal(new Uri(gateway.BaseAddress, "/signin-oidc").AbsoluteUri, pushed.Form["redirect_uri"]);
        Assert.Contains("openid", pushed.Form["scope"].ToString().Split(' '));
        Assert.False(pushed.Form.ContainsKey("code_verifier"));
        var clientId = pushed.Form["client_id"].ToString();
        var pushedCredential = AssertAuthenticates(pushed, method, clientId, provider.Issuer);

        var exchange = Assert.Single(requests, request => request.Path == "/token" && request.Form["grant_type"] == "authorization_code");
        var verifier = exchange.Form["code_verifier"].ToString();
        Assert.InRange(verifier.Length, 43, 128);
        Assert.Equal(pushed.Form["code_challenge"].ToString(), WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        Assert.Equal(pushed.Form["redirect_uri"], exchange.Form["redirect_uri"]);
        Assert.Equal(pushed.Form["client_id"], exchange.Form["client_id"]);
        var exchangeCredential = AssertAuthenticates(exchange, method, clientId, provider.Issuer);

        // The refresh, server-side, as the same confidential client.
        await Task.Delay(TimeSpan.FromSeconds(4));
        await browser.AssertSignedInAsync("wire-user");
        var refresh = Assert.Single(Requests(provider.Proxy.Sent), request => request.Path == "/token" && request.Form["grant_type"] == "refresh_token");
        Assert.Equal(pushed.Form["client_id"], refresh.Form["client_id"]);
        var refreshCredential = AssertAuthenticates(refresh, method, clientId, provider.Issuer);
        Assert.NotEqual("", refresh.Form["refresh_token"].ToString());
        if (method == "private_key_jwt")
        {
            // An assertion is good for one request: each carries its own jti.
            Assert.Equal(3, new[] { pushedCredential, exchangeCredential, refreshCredential }.Select(assertion => new JsonWebToken(assertion).Id).Distinct().Count());
        }

        // None of the back channel's secrets ever reached the browser (the code does: it is the front channel's).
        var seen = browser.EverythingFromGateway;
        foreach (var secret in new[] { verifier, pushedCredential, exchangeCredential, refreshCredential, refresh.Form["refresh_token"].ToString(), pushed.Form["nonce"].ToString() })
        {
            Assert.DoesNotContain(secret, seen, StringComparison.Ordinal);
        }
    }

    /// <returns>The credential on the wire: the client assertion (private_key_jwt) or the secret (client_secret_post).</returns>
    private static string AssertAuthenticates(WireRequest request, string method, string clientId, string issuer)
    {
        if (method == "client_secret_post")
        {
            Assert.False(request.Form.ContainsKey("client_assertion"));
            var secret = request.Form["client_secret"].ToString();
            Assert.NotEqual("", secret);
            return secret;
        }

        // RFC 7523 §2.2 and §3, and no secret beside it.
        Assert.False(request.Form.ContainsKey("client_secret"), $"{request.Path} carries a client_secret");
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.Form["client_assertion_type"]);
        var assertion = request.Form["client_assertion"].ToString();
        var jwt = new JsonWebToken(assertion);
        Assert.Equal("ES256", jwt.Alg);
        Assert.NotEqual("", jwt.Kid);
        Assert.Equal(clientId, jwt.Issuer);
        Assert.Equal(clientId, jwt.Subject);
        Assert.Equal([issuer], jwt.Audiences);
        Assert.InRange(jwt.ValidTo - jwt.IssuedAt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        return assertion;
    }

    private sealed record WireRequest(string Method, string Path, Dictionary<string, StringValues> Form);

    /// <summary>The HTTP/1.1 requests in the recorded client-to-server bytes, with their form bodies.</summary>
    private static List<WireRequest> Requests(IEnumerable<string> connections)
    {
        var requests = new List<WireRequest>();
        foreach (var text in connections)
        {
            var position = 0;
            while (position < text.Length)
            {
                var headEnd = text.IndexOf("\r\n\r\n", position, StringComparison.Ordinal);
                if (headEnd < 0)
                {
                    break;
                }

                var head = text[position..headEnd];
                var requestLine = head.Split("\r\n")[0].Split(' ');
                var length = head.Split("\r\n").Select(line => line.Split(':', 2))
                    .Where(parts => parts.Length == 2 && parts[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(parts => int.Parse(parts[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
                var body = text.Substring(headEnd + 4, Math.Min(length, text.Length - headEnd - 4));
                var path = requestLine.Length > 1 ? requestLine[1].Split('?')[0] : "";
                requests.Add(new WireRequest(requestLine[0], path, QueryHelpers.ParseQuery(Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)))));
                position = headEnd + 4 + length;
            }
        }

        return requests;
    }
}
