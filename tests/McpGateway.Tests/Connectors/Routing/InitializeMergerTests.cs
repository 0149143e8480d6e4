using System.Text.Json.Nodes;
using McpGateway.Connectors.Routing;
using McpGateway.Tests.Mcp;

namespace McpGateway.Tests.Connectors.Routing;

public sealed class InitializeMergerTests
{
    private static JsonObject Answer(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void The_answer_is_the_gateways_with_the_union_of_capabilities()
    {
        var merged = InitializeMerger.Merge("2025-11-25", [
            Answer("""{"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":false},"logging":{}},"serverInfo":{"name":"a"}}"""),
            Answer("""{"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":true},"prompts":{"listChanged":true},"resources":{"subscribe":true}},"serverInfo":{"name":"b"}}"""),
        ], "2025-11-25");

        Frames.SameJson("""
            {"protocolVersion":"2025-11-25",
             "capabilities":{"tools":{"listChanged":true},"logging":{},"prompts":{"listChanged":true},"resources":{"subscribe":true}},
             "serverInfo":{"name":"mcp-gateway","title":"McpGateway","version":"1.0"}}
            """, merged);
    }

    [Fact]
    public void The_browsers_version_stands_when_every_server_took_it_else_the_oldest_answered()
    {
        var latest = Answer("""{"protocolVersion":"2025-11-25"}""");
        var older = Answer("""{"protocolVersion":"2025-06-18"}""");

        Assert.Equal("2025-11-25", InitializeMerger.Version("2025-11-25", [latest, latest], "x"));
        Assert.Equal("2025-06-18", InitializeMerger.Version("2025-11-25", [latest, older], "x"));
        Assert.Equal("2025-03-26", InitializeMerger.Version("2025-03-26", [], "x"));
        Assert.Equal("x", InitializeMerger.Version(null, [], "x"));
    }
}
