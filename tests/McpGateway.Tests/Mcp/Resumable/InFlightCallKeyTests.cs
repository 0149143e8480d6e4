using McpGateway.Mcp.Resumable;

namespace McpGateway.Tests.Mcp.Resumable;

/// <summary>How a call in flight is named in the store: by its upstream id, and behind the router by connector too.</summary>
public sealed class InFlightCallKeyTests
{
    [Theory]
    [InlineData(null, 7L, "7")]
    [InlineData("two", 7L, "two:7")]
    [InlineData("a-b_c", 1764768000000001L, "a-b_c:1764768000000001")]
    public void A_key_is_stored_as_text_and_read_back(string? connector, long upstreamId, string stored)
    {
        var key = new InFlightCallKey(connector, upstreamId);

        Assert.Equal(stored, key.ToString());
        Assert.True(InFlightCallKey.TryParse(stored, out var read));
        Assert.Equal(key, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":7")]
    [InlineData("two:")]
    [InlineData("two:-7")]
    [InlineData("seven")]
    public void A_field_that_names_no_call_is_not_read(string stored) => Assert.False(InFlightCallKey.TryParse(stored, out _));
}
