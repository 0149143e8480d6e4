using System.Text.Json.Nodes;
using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using McpGateway.Tests.Mcp;

namespace McpGateway.Tests.Connectors.Routing;

public sealed class ListMergerTests
{
    private static readonly Connector Default = new("default", new Uri("http://127.0.0.1:1/mcp"), ConnectorAuthorization.Session, "", "", "", "");
    private static readonly Connector Two = new("two", new Uri("http://127.0.0.1:2/mcp"), ConnectorAuthorization.None, "two__", "", "", "");
    private static readonly Connector Three = new("three", new Uri("http://127.0.0.1:3/mcp"), ConnectorAuthorization.None, "three__", "", "", "");

    private static JsonObject[] Entries(string json) => [.. JsonNode.Parse(json)!.AsArray().Select(entry => entry!.AsObject())];

    [Fact]
    public void Tools_are_prefixed_in_configuration_order_with_every_other_member_kept()
    {
        var dropped = new List<string>();
        var merged = ListMerger.Merge(ListKind.Tools, [
            new(Default, Entries("""[{"name":"echo","title":"Echo","inputSchema":{"type":"object"}}]""")),
            new(Two, Entries("""[{"name":"echo","title":"Echo","annotations":{"readOnlyHint":true}}]""")),
        ], new ResourceOwners(), (name, _, _) => dropped.Add(name));

        Frames.SameJson("""
            {"tools":[
              {"name":"echo","title":"Echo","inputSchema":{"type":"object"}},
              {"name":"two__echo","title":"Echo","annotations":{"readOnlyHint":true}}]}
            """, merged);
        Assert.Empty(dropped);
    }

    [Fact]
    public void Between_connectors_the_earlier_one_wins_a_name_and_the_later_entry_is_reported()
    {
        // three's prefix makes "three__x"; two names a tool "three__x" too only if its own prefix is empty: use the unprefixed default.
        var dropped = new List<(string Name, string Winner, string Loser)>();
        var merged = ListMerger.Merge(ListKind.Tools, [
            new(Default, Entries("""[{"name":"three__x","description":"default's"}]""")),
            new(Three, Entries("""[{"name":"x","description":"three's"},{"name":"y"}]""")),
        ], new ResourceOwners(), (name, winner, loser) => dropped.Add((name, winner, loser)));

        Frames.SameJson("""{"tools":[{"name":"three__x","description":"default's"},{"name":"three__y"}]}""", merged);
        Assert.Equal([("three__x", "default", "three")], dropped);
    }

    [Fact]
    public void Connectors_that_gave_nothing_are_named_in_meta_and_the_rest_is_listed()
    {
        var merged = ListMerger.Merge(ListKind.Tools, [
            ConnectorListing.Failure(Default, "authorization_required", "not authorized yet"),
            new(Two, Entries("""[{"name":"echo"}]""")),
            ConnectorListing.Failure(Three, "unavailable", "it cannot be reached"),
        ], new ResourceOwners(), (_, _, _) => { });

        Frames.SameJson("""
            {"tools":[{"name":"two__echo"}],
             "_meta":{"io.mcpgateway/connectors":[
               {"name":"default","state":"authorization_required","reason":"not authorized yet"},
               {"name":"three","state":"unavailable","reason":"it cannot be reached"}]}}
            """, merged);
    }

    [Fact]
    public void Without_a_failure_there_is_no_meta_and_nameless_entries_are_left_out()
    {
        var merged = ListMerger.Merge(ListKind.Prompts, [new(Two, Entries("""[{"name":"simple"},{"title":"no name"},{"name":""}]"""))], new ResourceOwners(), (_, _, _) => { });

        Frames.SameJson("""{"prompts":[{"name":"two__simple"}]}""", merged);
    }

    [Fact]
    public void Resource_uris_are_kept_as_they_are_and_remembered_for_routing_first_lister_first()
    {
        var owners = new ResourceOwners();
        var dropped = new List<string>();

        var merged = ListMerger.Merge(ListKind.Resources, [
            new(Default, Entries("""[{"uri":"demo://a","name":"a"}]""")),
            new(Two, Entries("""[{"uri":"demo://a","name":"a again"},{"uri":"demo://b","name":"b"}]""")),
        ], owners, (name, _, _) => dropped.Add(name));
        ListMerger.Merge(ListKind.Templates, [new(Two, Entries("""[{"uriTemplate":"demo://t/{id}","name":"t"}]"""))], owners, (_, _, _) => { });

        Frames.SameJson("""{"resources":[{"uri":"demo://a","name":"a"},{"uri":"demo://b","name":"b"}]}""", merged);
        Assert.Equal(["demo://a"], dropped);
        Assert.Equal("default", owners.Find("demo://a")?.Name);
        Assert.Equal("two", owners.Find("demo://b")?.Name);
        Assert.Equal("two", owners.Find("demo://t/42")?.Name);
        Assert.Equal("two", owners.Find("demo://t/{id}")?.Name);
        Assert.Null(owners.Find("demo://c"));
    }
}
