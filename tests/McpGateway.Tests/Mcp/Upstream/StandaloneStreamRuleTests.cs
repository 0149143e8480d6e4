using System.Text.Json.Nodes;
using McpGateway.Mcp.Upstream;

namespace McpGateway.Tests.Mcp.Upstream;

public sealed class StandaloneStreamRuleTests
{
    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"tools":{}}""")]
    [InlineData("""{"tools":{"listChanged":false},"prompts":{},"resources":{"subscribe":false},"completions":{}}""")]
    public void A_server_that_announces_no_traffic_of_its_own_needs_no_stream(string capabilities)
        => Assert.False(StandaloneStreamRule.ServerMaySend(JsonNode.Parse(capabilities)));

    [Theory]
    [InlineData("""{"tools":{"listChanged":true}}""")]
    [InlineData("""{"prompts":{"listChanged":true}}""")]
    [InlineData("""{"resources":{"listChanged":true}}""")]
    [InlineData("""{"resources":{"subscribe":true}}""")]
    [InlineData("""{"tools":{},"logging":{}}""")]
    [InlineData("""{"tools":{},"experimental":{"x-push":{}}}""")]
    [InlineData("""{"tools":{},"something-new":{}}""")]
    public void A_server_that_announces_list_changes_subscriptions_logging_or_an_unknown_capability_needs_the_stream(string capabilities)
        => Assert.True(StandaloneStreamRule.ServerMaySend(JsonNode.Parse(capabilities)));

    [Fact]
    public void Missing_or_malformed_server_capabilities_need_no_stream()
    {
        Assert.False(StandaloneStreamRule.ServerMaySend(null));
        Assert.False(StandaloneStreamRule.ServerMaySend(JsonValue.Create("tools")));
        Assert.False(StandaloneStreamRule.ServerMaySend(JsonNode.Parse("""{"tools":{"listChanged":"yes"}}""")));
    }

    [Theory]
    [InlineData("""{"capabilities":{"sampling":{}}}""", true)]
    [InlineData("""{"capabilities":{"elicitation":{"form":{}}}}""", true)]
    [InlineData("""{"capabilities":{"roots":{"listChanged":true}}}""", true)]
    [InlineData("""{"capabilities":{}}""", false)]
    [InlineData("""{"capabilities":{"experimental":{}}}""", false)]
    [InlineData("""{"protocolVersion":"2025-11-25"}""", false)]
    public void A_client_that_declares_sampling_elicitation_or_roots_invites_server_requests(string initializeParams, bool invites)
        => Assert.Equal(invites, StandaloneStreamRule.ClientInvitesRequests(JsonNode.Parse(initializeParams)));

    [Theory]
    [InlineData("resources/subscribe", true)]
    [InlineData("logging/setLevel", true)]
    [InlineData("resources/unsubscribe", false)]
    [InlineData("tools/call", false)]
    [InlineData("initialize", false)]
    public void A_subscription_or_a_log_level_starts_server_traffic(string method, bool starts)
        => Assert.Equal(starts, StandaloneStreamRule.RequestStartsTraffic(method));
}
