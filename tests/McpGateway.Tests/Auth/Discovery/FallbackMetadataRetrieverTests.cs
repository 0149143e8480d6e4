using System.Net;
using McpGateway.Auth.Discovery;
using McpGateway.Tests.Infrastructure;
using Microsoft.IdentityModel.Protocols;

namespace McpGateway.Tests.Auth.Discovery;

public sealed class FallbackMetadataRetrieverTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://idp.test", "https://idp.test/.well-known/openid-configuration")]
    [InlineData("https://idp.test/", "https://idp.test/.well-known/openid-configuration")]
    [InlineData("https://idp.test/realms/chat", "https://idp.test/realms/chat/.well-known/openid-configuration")]
    [InlineData("https://idp.test/realms/chat/", "https://idp.test/realms/chat/.well-known/openid-configuration")]
    public void OpenId_metadata_is_appended_to_the_issuer(string authority, string expected)
        => Assert.Equal(expected, FallbackMetadataRetriever.OpenIdAddress(new Uri(authority)));

    [Theory]
    [InlineData("https://idp.test", "https://idp.test/.well-known/oauth-authorization-server")]
    [InlineData("https://idp.test/", "https://idp.test/.well-known/oauth-authorization-server")]
    [InlineData("https://idp.test/realms/chat", "https://idp.test/.well-known/oauth-authorization-server/realms/chat")]
    [InlineData("https://idp.test:8443/realms/chat/", "https://idp.test:8443/.well-known/oauth-authorization-server/realms/chat")]
    public void OAuth_metadata_goes_between_host_and_issuer_path_as_rfc8414_says(string authority, string expected)
        => Assert.Equal(expected, FallbackMetadataRetriever.OAuthAddress(new Uri(authority)));

    [Fact]
    public async Task Server_without_openid_metadata_is_read_from_its_rfc8414_document()
    {
        var handler = new FakeHttpHandler(request => request.RequestUri!.AbsoluteUri switch
        {
            "https://idp.test/.well-known/oauth-authorization-server/tenant" => FakeHttpHandler.Json(HttpStatusCode.OK, Metadata("https://idp.test/tenant")),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        });

        var configuration = await RetrieveAsync("https://idp.test/tenant", handler);

        Assert.Equal("https://idp.test/tenant/token", configuration.TokenEndpoint);
        Assert.Equal(
            ["https://idp.test/tenant/.well-known/openid-configuration", "https://idp.test/.well-known/oauth-authorization-server/tenant"],
            handler.Requests.Select(r => r.Uri.AbsoluteUri));
    }

    [Fact]
    public async Task OpenId_metadata_is_preferred_and_the_fallback_not_asked()
    {
        var handler = new FakeHttpHandler(_ => FakeHttpHandler.Json(HttpStatusCode.OK, Metadata("https://idp.test")));

        await RetrieveAsync("https://idp.test", handler);

        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData("https://idp.test")]
    [InlineData("https://idp.test/")]
    public async Task Issuer_differing_only_by_a_trailing_slash_is_the_same_issuer(string issuer)
    {
        var handler = new FakeHttpHandler(_ => FakeHttpHandler.Json(HttpStatusCode.OK, Metadata(issuer)));

        var configuration = await RetrieveAsync("https://idp.test/", handler);

        Assert.Equal(issuer, configuration.Issuer);
    }

    [Theory]
    [InlineData("https://other.test")]
    [InlineData("http://idp.test")]
    [InlineData("https://idp.test/tenant")]
    [InlineData("https://IDP.test")]
    public async Task Metadata_naming_another_issuer_is_refused_naming_the_setting(string issuer)
    {
        var handler = new FakeHttpHandler(_ => FakeHttpHandler.Json(HttpStatusCode.OK, Metadata(issuer)));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => RetrieveAsync("https://idp.test", handler));

        Assert.Contains("Auth:Authority", exception.Message, StringComparison.Ordinal);
        Assert.Contains(issuer, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_without_any_metadata_fails()
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound));

        await Assert.ThrowsAnyAsync<Exception>(() => RetrieveAsync("https://idp.test", handler));
        Assert.Equal(2, handler.Requests.Count);
    }

    private static Task<Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration> RetrieveAsync(string authority, FakeHttpHandler handler)
    {
        var uri = new Uri(authority);
        var documents = new HttpDocumentRetriever(TestHttpClients.For(handler).CreateClient(AuthorityMetadata.HttpClientName));
        return new FallbackMetadataRetriever(uri).GetConfigurationAsync(FallbackMetadataRetriever.OpenIdAddress(uri), documents, Cancellation);
    }

    private static string Metadata(string issuer)
        => $$"""{"issuer":"{{issuer}}","authorization_endpoint":"{{issuer.TrimEnd('/')}}/auth","token_endpoint":"{{issuer.TrimEnd('/')}}/token"}""";
}
