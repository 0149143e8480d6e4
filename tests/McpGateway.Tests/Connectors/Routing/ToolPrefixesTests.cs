using McpGateway.Connectors;
using McpGateway.Connectors.Routing;

namespace McpGateway.Tests.Connectors.Routing;

public sealed class ToolPrefixesTests
{
    private static Connector Server(string name, string prefix)
        => new(name, new Uri("http://127.0.0.1/mcp"), ConnectorAuthorization.None, prefix, "", "", "");

    [Fact]
    public void A_name_goes_to_the_connector_of_its_prefix_with_the_prefix_stripped()
    {
        var prefixes = new ToolPrefixes([Server("one", "one__"), Server("two", "two__")]);

        Assert.Equal(("two", "echo"), prefixes.Route("two__echo") is { } route ? (route.Connector.Name, route.Name) : default);
        Assert.Equal(("one", "two__echo"), prefixes.Route("one__two__echo") is { } nested ? (nested.Connector.Name, nested.Name) : default);
    }

    [Fact]
    public void The_longest_prefix_wins_over_a_shorter_one_it_starts_with()
    {
        var prefixes = new ToolPrefixes([Server("a", "a_"), Server("ab", "a_b_")]);

        Assert.Equal("ab", prefixes.Route("a_b_tool")?.Connector.Name);
        Assert.Equal("a", prefixes.Route("a_c_tool")?.Connector.Name);
    }

    [Fact]
    public void A_name_without_a_known_prefix_goes_to_the_unprefixed_connector_or_nowhere()
    {
        Assert.Equal(("default", "echo"), new ToolPrefixes([Server("default", ""), Server("two", "two__")]).Route("echo") is { } route ? (route.Connector.Name, route.Name) : default);

        var prefixed = new ToolPrefixes([Server("one", "one__"), Server("two", "two__")]);
        Assert.Null(prefixed.Route("echo"));
        Assert.Null(prefixed.Route("two__"));
        Assert.Equal("'echo' names no tool of the gateway or of a connector: upstream names start with one of the prefixes 'one__' (one), 'two__' (two).", prefixed.Unrouted("echo"));
    }
}
