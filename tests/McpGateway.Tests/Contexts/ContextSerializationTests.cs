using System.Text.Json;
using McpGateway.Contexts;
using McpGateway.Hosting;

namespace McpGateway.Tests.Contexts;

/// <summary>How a context is written to Redis, REST and sockets, and read back.</summary>
public sealed class ContextSerializationTests
{
    [Theory]
    [InlineData("\"plain text\"")]
    [InlineData("42")]
    [InlineData("-0.5e-3")]
    [InlineData("2.50")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("[]")]
    [InlineData("[1,[2,[3]],{\"a\":null},\"x\"]")]
    [InlineData("{\"message\":\"hi\",\"timestamp\":1733140000000,\"user_context\":{\"deep\":[{\"x\":1},{\"y\":[true,false]}]}}")]
    public void Content_of_any_json_kind_round_trips_unchanged(string content)
    {
        var json = $$$"""{"id":"x","conversation_id":"c","content":{{{content}}},"metadata":{"timestamp":1733140000000,"model":"gpt-4","tokens_used":42}}""";

        var context = JsonSerializer.Deserialize(json, GatewayJsonContext.Default.ConversationContext)!;
        var written = JsonSerializer.Serialize(context, GatewayJsonContext.Default.ConversationContext);

        Assert.Equal(json, written);
        Assert.Equal(context, JsonSerializer.Deserialize(written, GatewayJsonContext.Default.ConversationContext));
    }

    [Theory]
    [InlineData("1733140000000", 1733140000000L)]
    [InlineData("0", 0L)]
    [InlineData("\"2026-03-01T12:00:01Z\"", 1772366401000L)]
    [InlineData("\"2026-03-01T13:00:01.5+01:00\"", 1772366401500L)]
    [InlineData("\"2026-03-01\"", 1772323200000L)]
    public void A_timestamp_is_read_as_a_number_or_iso_8601_and_written_back_as_it_came(string timestamp, long milliseconds)
    {
        var json = $$"""{"timestamp":{{timestamp}},"model":null,"tokens_used":null}""";

        var metadata = JsonSerializer.Deserialize(json, GatewayJsonContext.Default.ContextMetadata)!;

        Assert.Equal(milliseconds, metadata.Timestamp!.Value.Instant.ToUnixTimeMilliseconds());
        Assert.Equal(json, JsonSerializer.Serialize(metadata, GatewayJsonContext.Default.ContextMetadata));
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"9999-99-99\"")]
    [InlineData("\"1733140000000\"")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("253402300800000")]
    [InlineData("-62135596800001")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void Other_timestamps_are_refused(string timestamp)
        => Assert.Throws<JsonException>(() => JsonSerializer.Deserialize($$"""{"timestamp":{{timestamp}}}""", GatewayJsonContext.Default.ContextMetadata));

    [Fact]
    public void A_null_timestamp_is_as_good_as_none()
        => Assert.Null(JsonSerializer.Deserialize("""{"timestamp":null}""", GatewayJsonContext.Default.ContextMetadata)!.Timestamp);

    [Fact]
    public void Metadata_members_the_gateway_does_not_know_are_kept_as_they_came_and_in_order()
    {
        const string Json = """{"timestamp":1733140000000,"model":"gpt-4","tokens_used":42,"source":{"app":"seed","v":[1,2]},"temperature":0.70,"flag":false}""";

        var metadata = JsonSerializer.Deserialize(Json, GatewayJsonContext.Default.ContextMetadata)!;

        Assert.Equal(["source", "temperature", "flag"], metadata.Extra!.Keys);
        Assert.Equal(Json, JsonSerializer.Serialize(metadata, GatewayJsonContext.Default.ContextMetadata));
    }

    [Fact]
    public void Contexts_are_equal_when_their_json_is_and_not_otherwise()
    {
        static ConversationContext Read(string content, string extra = "")
            => JsonSerializer.Deserialize($$$"""{"id":"x","conversation_id":"c","content":{{{content}}},"metadata":{"timestamp":1{{{extra}}}}}""", GatewayJsonContext.Default.ConversationContext)!;

        Assert.Equal(Read("""{"a":[1,2]}"""), Read("""{"a":[1,2]}"""));
        Assert.NotEqual(Read("""{"a":[1,2]}"""), Read("""{"a":[2,1]}"""));
        Assert.NotEqual(Read("\"1\""), Read("1"));
        Assert.Equal(Read("1", ""","k":{"z":true}"""), Read("1", ""","k":{"z":true}"""));
        Assert.NotEqual(Read("1", ""","k":{"z":true}"""), Read("1", ""","k":{"z":false}"""));
        Assert.NotEqual(Read("1", ""","k":1"""), Read("1"));
    }

    [Theory]
    [InlineData("\"\"", 0)]
    [InlineData("\"abc\"", 3)]
    [InlineData("\"é\"", 2)]
    [InlineData("\"a\\nb\"", 3)]
    [InlineData("42", 2)]
    [InlineData("true", 4)]
    [InlineData("[1, 2,   3]", 7)]
    [InlineData("{ \"a\" : \"é\" }", 10)]
    [InlineData("{\"a\":\"\\u00e9\"}", 10)]
    [InlineData("{\"a\":\"x\\ny\"}", 12)]
    [InlineData("{\"m\":{\"n\":[true,null]}}", 23)]
    public void Size_is_a_strings_utf8_text_or_any_other_values_compact_json(string json, long bytes)
        => Assert.Equal(bytes, JsonSize.Of(ContextJson.Parse(json)));
}
