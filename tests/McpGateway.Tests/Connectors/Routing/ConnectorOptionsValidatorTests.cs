using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using McpGateway.Mcp.Upstream;

namespace McpGateway.Tests.Connectors.Routing;

public sealed class ConnectorOptionsValidatorTests
{
    private static McpUpstreamOptions With(string name, McpServerOptions server, string url = "")
        => new() { Url = url, Servers = new(StringComparer.Ordinal) { [name] = server } };

    private static string? Failure(McpUpstreamOptions options, bool requireHttps = true)
        => new McpUpstreamOptionsValidator(requireHttps).Validate(null, options) is { Failed: true } result ? result.FailureMessage : null;

    [Fact]
    public void The_legacy_url_and_servers_resolve_in_order_with_default_first_and_name_prefixes()
    {
        var options = new McpUpstreamOptions
        {
            Url = "https://one.example/mcp",
            Servers = new(StringComparer.Ordinal)
            {
                ["two"] = new() { Url = "http://two.example/mcp", Authorization = ConnectorAuthorization.None },
                ["three"] = new() { Url = "wss://three.example/socket", ToolPrefix = "t3." },
            },
        };

        Assert.Null(Failure(options));
        var catalog = new ConnectorCatalog(ConnectorCatalog.Resolve(options));

        Assert.Equal(["default", "two", "three"], catalog.All.Select(connector => connector.Name));
        Assert.Equal(["", "two__", "t3."], catalog.All.Select(connector => connector.ToolPrefix));
        Assert.Equal([ConnectorAuthorization.Session, ConnectorAuthorization.None, ConnectorAuthorization.Session], catalog.All.Select(connector => connector.Authorization));
        Assert.False(catalog.IsSingleRelay);
        Assert.Equal("two", catalog.Find("two")?.Name);
        Assert.Null(catalog.Find("four"));
    }

    [Fact]
    public void Only_the_legacy_url_is_a_single_relay_and_so_is_one_server_without_a_prefix()
    {
        Assert.True(new ConnectorCatalog(ConnectorCatalog.Resolve(new McpUpstreamOptions { Url = "http://a.example/mcp" })).IsSingleRelay);
        Assert.True(new ConnectorCatalog(ConnectorCatalog.Resolve(With("solo", new() { Url = "http://a.example/mcp", ToolPrefix = "" }))).IsSingleRelay);
        Assert.False(new ConnectorCatalog(ConnectorCatalog.Resolve(With("solo", new() { Url = "http://a.example/mcp" }))).IsSingleRelay);
        Assert.True(new ConnectorCatalog(ConnectorCatalog.Resolve(new McpUpstreamOptions())).IsSingleRelay);
    }

    [Theory]
    [InlineData("Two")]
    [InlineData("-two")]
    [InlineData("two.one")]
    [InlineData("a23456789012345678901234567890123")]
    public void A_bad_server_name_fails_naming_the_key(string name)
    {
        Assert.StartsWith($"Upstreams:Mcp:Servers:{name}: a server name is 1–32 characters", Failure(With(name, new() { Url = "http://a.example/mcp" })));
    }

    [Fact]
    public void A_url_with_credentials_fails_without_showing_them()
    {
        var failure = Failure(With("two", new() { Url = "https://user:hunter2@a.example/mcp" }));

        Assert.Equal("Upstreams:Mcp:Servers:two:Url must be an absolute http(s):// or ws(s):// URL without credentials, got 'https://…@a.example/mcp'.", failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/mcp")]
    [InlineData("ftp://a.example/")]
    public void A_server_without_a_usable_url_fails(string url)
    {
        Assert.StartsWith("Upstreams:Mcp:Servers:two:Url must be an absolute", Failure(With("two", new() { Url = url })));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("slash/")]
    [InlineData("a23456789012345678901234567890123")]
    public void A_prefix_of_other_characters_or_too_long_fails(string prefix)
    {
        Assert.Equal($"Upstreams:Mcp:Servers:two:ToolPrefix must be at most 32 characters of A–Z, a–z, 0–9, '_', '.' and '-', got '{prefix}'.",
            Failure(With("two", new() { Url = "http://a.example/mcp", ToolPrefix = prefix })));
    }

    [Fact]
    public void Default_in_servers_beside_the_legacy_url_fails()
    {
        Assert.Contains("Upstreams:Mcp:Servers:default: the name 'default' is taken by Upstreams:Mcp:Url",
            Failure(With("default", new() { Url = "http://b.example/mcp", ToolPrefix = "b_" }, url: "http://a.example/mcp")), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_empty_prefixes_fail_and_so_do_two_equal_ones()
    {
        Assert.Equal("Upstreams:Mcp:Servers:two:ToolPrefix is empty like that of 'default': only one server may keep its tools' own names.",
            Failure(With("two", new() { Url = "http://b.example/mcp", ToolPrefix = "" }, url: "http://a.example/mcp")));

        var same = new McpUpstreamOptions
        {
            Servers = new(StringComparer.Ordinal)
            {
                ["a"] = new() { Url = "http://a.example/mcp", ToolPrefix = "x_" },
                ["b"] = new() { Url = "http://b.example/mcp", ToolPrefix = "x_" },
            },
        };
        Assert.Equal("Upstreams:Mcp:Servers:b:ToolPrefix 'x_' is already the prefix of 'a': each server needs its own.", Failure(same));
    }

    [Fact]
    public void A_server_named_like_another_servers_explicit_prefix_collides()
    {
        var options = new McpUpstreamOptions
        {
            Servers = new(StringComparer.Ordinal)
            {
                ["a"] = new() { Url = "http://a.example/mcp", ToolPrefix = "b__" },
                ["b"] = new() { Url = "http://b.example/mcp" },
            },
        };

        Assert.Equal("Upstreams:Mcp:Servers:b:ToolPrefix 'b__' is already the prefix of 'a': each server needs its own.", Failure(options));
    }

    [Fact]
    public void Discover_needs_an_http_url()
    {
        Assert.Equal("Upstreams:Mcp:Servers:two:Authorization 'discover' needs an http(s):// Url (the MCP authorization specification is for Streamable HTTP).",
            Failure(With("two", new() { Url = "wss://a.example/socket", Authorization = ConnectorAuthorization.Discover })));
        Assert.Null(Failure(With("two", new() { Url = "https://a.example/mcp", Authorization = ConnectorAuthorization.Discover })));
    }

    [Fact]
    public void A_client_secret_without_a_client_id_fails()
    {
        Assert.Equal("Upstreams:Mcp:Servers:two:ClientSecret is set without Upstreams:Mcp:Servers:two:ClientId.",
            Failure(With("two", new() { Url = "https://a.example/mcp", Authorization = ConnectorAuthorization.Discover, ClientSecret = "s" })));
    }

    [Fact]
    public void Issuers_must_be_https_unless_https_metadata_is_not_required()
    {
        var options = new McpUpstreamOptions { AllowedIssuers = ["https://as.example", "http://127.0.0.1:5100"] };

        Assert.Equal("Upstreams:Mcp:AllowedIssuers:1 'http://127.0.0.1:5100' is http: set Auth:RequireHttpsMetadata=false to allow it (local stacks only).", Failure(options));
        Assert.Null(Failure(options, requireHttps: false));
        Assert.Equal("Upstreams:Mcp:AllowedIssuers:0 must be an absolute https:// URL without credentials, got 'as.example'.",
            Failure(new McpUpstreamOptions { AllowedIssuers = ["as.example"] }, requireHttps: false));
    }

    [Fact]
    public void Every_failure_is_reported_each_naming_its_key()
    {
        var options = new McpUpstreamOptions
        {
            Url = "mcp",
            Servers = new(StringComparer.Ordinal) { ["Bad"] = new() { Url = "http://a.example/mcp", ClientSecret = "s" } },
        };

        var failures = new McpUpstreamOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(3, failures.Count);
        Assert.StartsWith("Upstreams:Mcp:Url ", failures[0]);
        Assert.StartsWith("Upstreams:Mcp:Servers:Bad: ", failures[1]);
        Assert.StartsWith("Upstreams:Mcp:Servers:Bad:ClientSecret ", failures[2]);
    }
}
