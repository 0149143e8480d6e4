using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Mcp.StreamableHttp;

namespace McpGateway.Tests.Mcp.StreamableHttp;

/// <summary>How a binding is stored in Redis, with the connector map of a routed WebSocket session.</summary>
public sealed class McpSessionBindingJsonTests
{
    private static readonly McpSessionBinding Routed = new()
    {
        OwnerKey = "owner",
        Subject = "alice",
        InitializeParams = "{}",
        InitializeResult = """{"protocolVersion":"2025-11-25"}""",
        Connectors = new Dictionary<string, ConnectorSessionBinding>
        {
            ["default"] = new() { SessionId = "s-default", ProtocolVersion = "2025-11-25" },
            ["two"] = new() { SessionId = "s-two", ProtocolVersion = "2025-06-18" },
        },
    };

    [Fact]
    public void The_connector_map_is_stored_by_connector_name_with_each_session_and_revision()
    {
        var stored = JsonNode.Parse(JsonSerializer.Serialize(Routed, McpHttpJsonContext.Default.McpSessionBinding))!;

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"default":{"session":"s-default","protocol_version":"2025-11-25"},"two":{"session":"s-two","protocol_version":"2025-06-18"}}"""),
            stored["connectors"]));
    }

    [Fact]
    public void A_stored_routed_binding_reads_back_with_the_same_connector_sessions()
    {
        var read = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(Routed, McpHttpJsonContext.Default.McpSessionBinding), McpHttpJsonContext.Default.McpSessionBinding)!;

        Assert.True(ConnectorSessionBinding.Same(Routed.Connectors, read.Connectors));
        Assert.Equal("s-two", read.Connectors!["two"].SessionId);
        Assert.Equal("2025-06-18", read.Connectors["two"].ProtocolVersion);
    }

    [Fact]
    public void A_binding_stored_before_connector_maps_existed_reads_with_none()
    {
        var read = JsonSerializer.Deserialize("""{"owner":"o","sub":"alice","upstream_session":"s-1","initialize":"{}","initialize_result":"{}"}""", McpHttpJsonContext.Default.McpSessionBinding)!;

        Assert.Null(read.Connectors);
        Assert.Equal("s-1", read.UpstreamSessionId);
    }

    [Fact]
    public void Two_maps_are_the_same_only_with_the_same_sessions_under_the_same_names()
    {
        var map = Routed.Connectors!;
        var moved = new Dictionary<string, ConnectorSessionBinding>(map) { ["two"] = new() { SessionId = "s-two-new", ProtocolVersion = "2025-06-18" } };
        var fewer = new Dictionary<string, ConnectorSessionBinding> { ["default"] = map["default"] };

        Assert.True(ConnectorSessionBinding.Same(map, new Dictionary<string, ConnectorSessionBinding>(map)));
        Assert.True(ConnectorSessionBinding.Same(null, new Dictionary<string, ConnectorSessionBinding>()));
        Assert.False(ConnectorSessionBinding.Same(map, moved));
        Assert.False(ConnectorSessionBinding.Same(map, fewer));
        Assert.False(ConnectorSessionBinding.Same(null, fewer));
    }
}
