using McpGateway.Auth;
using McpGateway.Auth.Resources;
using McpGateway.Connectors;
using McpGateway.Mcp.Upstream;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Auth.Resources;

public sealed class SessionResourcesTests
{
    private static readonly Connector First = new("default", new Uri("http://127.0.0.1:1/mcp"), ConnectorAuthorization.Session, "", "", "", "");
    private static readonly Connector Second = new("two", new Uri("https://tools.example.com/mcp/"), ConnectorAuthorization.Session, "two__", "", "", "");
    private static readonly Connector Open = new("open", new Uri("http://127.0.0.1:3/mcp"), ConnectorAuthorization.None, "open__", "", "", "");
    private static readonly Connector Vault = new("vault", new Uri("http://127.0.0.1:4/mcp"), ConnectorAuthorization.Discover, "vault__", "", "", "");

    [Fact]
    public void On_lists_each_session_mode_server_url_once_in_connector_order()
    {
        var twin = First with { Name = "twin", ToolPrefix = "twin__" };

        var resources = new SessionResources([First, Open, Second, Vault, twin], enabled: true);

        Assert.Equal(["http://127.0.0.1:1/mcp", "https://tools.example.com/mcp/"], resources.All);
        Assert.Equal("http://127.0.0.1:1/mcp", resources.For(First));
        Assert.Equal("https://tools.example.com/mcp/", resources.For(Second));
        Assert.Null(resources.For(Open));
        Assert.Null(resources.For(Vault));
    }

    [Fact]
    public void Off_lists_none_and_every_session_mode_server_uses_the_sign_in_token()
    {
        var resources = new SessionResources([First, Second], enabled: false);

        Assert.Empty(resources.All);
        Assert.Null(resources.For(First));
        Assert.Null(resources.For(Second));
    }

    [Fact]
    public void The_legacy_single_server_is_a_resource_when_on_and_nothing_changes_when_off()
    {
        var upstream = Options.Create(new McpUpstreamOptions { Url = "http://127.0.0.1:5/mcp" });

        Assert.Equal(["http://127.0.0.1:5/mcp"], new SessionResources(upstream, Options.Create(new AuthOptions { ResourceIndicators = "on" })).All);
        Assert.Empty(new SessionResources(upstream, Options.Create(new AuthOptions())).All);
    }
}
