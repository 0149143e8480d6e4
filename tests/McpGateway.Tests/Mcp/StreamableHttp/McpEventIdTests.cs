using McpGateway.Mcp.StreamableHttp.Resumption;

namespace McpGateway.Tests.Mcp.StreamableHttp;

public sealed class McpEventIdTests
{
    [Fact]
    public void A_new_id_round_trips_through_its_text_and_keeps_its_kind()
    {
        var id = new McpEventId(McpEventId.NewStream(McpEventId.StandaloneStream), 42);

        Assert.True(McpEventId.TryParse(id.ToString(), out var parsed));
        Assert.Equal(id, parsed);
        Assert.True(parsed.Value.IsStandalone);
        Assert.False(new McpEventId(McpEventId.NewStream(McpEventId.RequestStream), 1).IsStandalone);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("r0123456789ab")]
    [InlineData("r0123456789ab-")]
    [InlineData("x0123456789ab-1")]
    [InlineData("r0123456789AB-1")]
    [InlineData("r0123456789ab+1")]
    [InlineData("r0123456789ab--1")]
    [InlineData("r0123456789ab-1 ")]
    [InlineData("r0123456789ab-99999999999999999999")]
    [InlineData("r0123456789-12")]
    public void Anything_else_is_not_an_event_id(string? text)
        => Assert.False(McpEventId.TryParse(text, out _));
}
