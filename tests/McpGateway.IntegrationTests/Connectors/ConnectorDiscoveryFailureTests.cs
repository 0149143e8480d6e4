using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>
/// Discovery refuses servers whose metadata cannot be trusted or used, each with a clear reason: at authorize (502
/// connector_discovery_failed) and in the list (unavailable). Bad requests to the endpoints get their own errors.
/// </summary>
[Collection(nameof(ConnectorStackCollection))]
public sealed class ConnectorDiscoveryFailureTests(ConnectorStack stack)
{
    [Fact]
    public async Task Untrustworthy_or_broken_metadata_is_refused_with_its_reason()
    {
        var standIn = stack.StandIn;
        var dead = $"http://127.0.0.1:{FreePort.Next()}";
        var noPkce = standIn.Url("/no-pkce-as").AbsoluteUri.TrimEnd('/');
        standIn.Answer("/.well-known/oauth-authorization-server/no-pkce-as", 200, JsonSerializer.Serialize(new
        {
            issuer = noPkce,
            authorization_endpoint = noPkce + "/auth",
            token_endpoint = noPkce + "/token",
            code_challenge_methods_supported = new[] { "plain" },
        }));
        string Metadata(string name, string issuer, string? resource = null)
            => JsonSerializer.Serialize(new { resource = resource ?? standIn.Url($"/{name}/mcp").AbsoluteUri, authorization_servers = new[] { issuer } });

        var cases = new Dictionary<string, (Uri Server, string Reason)>
        {
            ["mismatch"] = (standIn.ProtectedServer("mismatch", Metadata("mismatch", stack.ServerProvider.Issuer, resource: stack.ProtectedUrl.AbsoluteUri)),
                "names the resource"),
            ["offlist"] = (standIn.ProtectedServer("offlist", Metadata("offlist", "http://127.0.0.1:9/evil")), "is not in Upstreams:Mcp:AllowedIssuers"),
            ["oversized"] = (standIn.ProtectedServer("oversized", Metadata("oversized", stack.ServerProvider.Issuer).TrimEnd('}') + ",\"pad\":\"" + new string('x', 100 * 1024) + "\"}"),
                "larger than 64 KiB"),
            ["malformed"] = (standIn.ProtectedServer("malformed", "{\"resource\": [not json"), "not valid JSON"),
            ["html"] = (standIn.ProtectedServer("html", "<html></html>", "text/html"), "is not JSON"),
            ["unreachable"] = (standIn.ProtectedServer("unreachable", Metadata("unreachable", dead)), "could not be fetched"),
            ["nopkce"] = (standIn.ProtectedServer("nopkce", Metadata("nopkce", noPkce)), "PKCE S256"),
        };
        await using var gateway = GatewayHost.Start(stack.Settings(
            servers: cases.ToDictionary(pair => pair.Key, pair => pair.Value.Server),
            allowedIssuers: [stack.ServerProvider.Issuer, dead, noPkce]));
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("walter");

        foreach (var (name, (_, reason)) in cases)
        {
            using var response = await browser.PostAsync($"/api/connectors/{name}/authorize");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.BadGateway, $"{name}: {(int)response.StatusCode} {body}");
            Assert.Equal("connector_discovery_failed", body.GetProperty("error").GetString());
            Assert.Contains(reason, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);

            var listed = await ConnectorFlow.StateOfAsync(browser, name);
            Assert.Equal("unavailable", listed.GetProperty("state").GetString());
            Assert.Contains(reason, listed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        // The good connector next to them is unaffected.
        Assert.Equal("authorization_required", (await ConnectorFlow.StateOfAsync(browser)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_endpoints_refuse_unknown_connectors_session_connectors_and_missing_csrf()
    {
        var settings = stack.Settings();
        settings = settings with { Extra = new Dictionary<string, string?>(settings.Extra) { ["Upstreams:Mcp:Url"] = stack.StandIn.Url("/plain/mcp").AbsoluteUri } };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        using var anonymous = gateway.CreateBrowser();
        using (var noSession = await anonymous.GetAsync("/api/connectors"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noSession.StatusCode);
            Assert.Equal("application/json", noSession.Content.Headers.ContentType?.MediaType);
        }

        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("xavier");
        await AssertErrorAsync(await browser.PostAsync("/api/connectors/nope/authorize"), HttpStatusCode.NotFound, "connector_not_found");
        await AssertErrorAsync(await browser.PostAsync("/api/connectors/default/authorize"), HttpStatusCode.Conflict, "not_authorizable");
        await AssertErrorAsync(await browser.PostAsync("/api/connectors/vault/authorize", csrfHeader: false), HttpStatusCode.Forbidden, "csrf_header_missing");
        await AssertErrorAsync(await browser.PostAsync("/api/connectors/vault/authorize", JsonContent.Create(new { returnUrl = "https://evil.example/" })),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertErrorAsync(await browser.GetAsync("/connectors/client.json"), HttpStatusCode.NotFound, "connector_not_found");

        var listed = await ConnectorFlow.StateOfAsync(browser, "default");
        Assert.Equal("session", listed.GetProperty("authorization").GetString());
        Assert.Equal("connected", listed.GetProperty("state").GetString());
        Assert.Equal("", listed.GetProperty("toolPrefix").GetString());
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status} {error}, got {(int)response.StatusCode} {body}");
            Assert.Equal(error, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        }
    }
}
