using McpGateway.Connectors.Routing;
using McpGateway.Auth;
using McpGateway.Auth.Registration;
using McpGateway.Connectors;
using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Registration;
using McpGateway.Hosting;
using McpGateway.Mcp.Upstream;
using McpGateway.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Connectors;

/// <summary>Which client the gateway uses at a connector's authorization server, in the MCP specification's order.</summary>
public sealed class ConnectorClientsTests
{
    private static readonly Connector Vault = new("vault", new Uri("https://vault.example.com/mcp"), ConnectorAuthorization.Discover, "vault__", "", "", "");

    [Fact]
    public async Task A_metadata_document_is_the_client_when_the_server_supports_it_and_the_origin_is_https()
    {
        var (clients, document) = Create("https://chat.example.com");

        var client = await clients.GetAsync(Vault, Discovery(metadataDocuments: true), CancellationToken.None);

        Assert.Equal("https://chat.example.com/connectors/client.json", client.ClientId);
        Assert.Equal("none", client.TokenEndpointAuthMethod);
        Assert.True(document.IsServable);
        Assert.Equal(client.ClientId, document.Document.ClientId);
        Assert.Equal(["https://chat.example.com/connectors/vault/callback"], document.Document.RedirectUris);
        Assert.Equal(["authorization_code", "refresh_token"], document.Document.GrantTypes);
    }

    [Fact]
    public async Task On_a_plain_http_origin_no_metadata_document_is_offered()
    {
        var (clients, document) = Create("http://127.0.0.1:8080");

        var failure = await Assert.ThrowsAsync<ConnectorDiscoveryException>(() => clients.GetAsync(Vault, Discovery(metadataDocuments: true), CancellationToken.None));

        Assert.False(document.IsServable);
        Assert.Contains("neither client ID metadata documents", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Upstreams:Mcp:Servers:vault:ClientId", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_client_comes_first()
    {
        var (clients, _) = Create("https://chat.example.com");

        var client = await clients.GetAsync(Vault with { ClientId = "pre-registered", ClientSecret = "s3cret" }, Discovery(metadataDocuments: true), CancellationToken.None);

        Assert.Equal("pre-registered", client.ClientId);
        Assert.Equal("s3cret", client.ClientSecret);
        Assert.Equal("client_secret_post", client.TokenEndpointAuthMethod);
    }

    [Theory]
    [InlineData(null, "client_secret_basic")]
    [InlineData(new[] { "client_secret_basic" }, "client_secret_basic")]
    [InlineData(new[] { "client_secret_basic", "client_secret_post" }, "client_secret_post")]
    public void Registration_uses_client_secret_post_when_offered_else_the_rfc8414_default(string[]? supported, string expected)
        => Assert.Equal(expected, ConnectorClientAuthMethods.ForRegistration(supported));

    private static ConnectorDiscovery Discovery(bool metadataDocuments) => new(
        Vault.Url,
        new Uri("https://login.vault.example.com"),
        new AuthorizationServerMetadata
        {
            Issuer = "https://login.vault.example.com",
            AuthorizationEndpoint = "https://login.vault.example.com/auth",
            TokenEndpoint = "https://login.vault.example.com/token",
            CodeChallengeMethodsSupported = ["S256"],
            ClientIdMetadataDocumentSupported = metadataDocuments,
        },
        ["mcp"],
        null);

    private static (ConnectorClients Clients, ConnectorClientDocument Document) Create(string origin)
    {
        var upstream = new McpUpstreamOptions { Servers = { ["vault"] = new McpServerOptions { Url = Vault.Url.AbsoluteUri, Authorization = ConnectorAuthorization.Discover } } };
        var document = new ConnectorClientDocument(
            new ConnectorCatalog(Options.Create(upstream)), Options.Create(new GatewayOptions { PublicOrigin = origin }), Options.Create(new AuthOptions()));
        var clients = new ConnectorClients(document, new InMemoryConnectorClientStore(), new DynamicClientRegistrar(new NoHttp()),
            new InMemoryGatewayLocks(), NullLogger<ConnectorClients>.Instance);
        return (clients, document);
    }

    /// <summary>No test here may register: a call would fail loudly.</summary>
    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("no HTTP expected");
    }
}
