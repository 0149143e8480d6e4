using System.Text;
using McpGateway.Usage;

namespace McpGateway.Tests.Usage;

public sealed class UsageScannerTests
{
    private const string Answer = """{"id":"c1","model":"gpt-x","provider":"openai","message":{"role":"assistant","content":"hi {\"usage\":1}"},"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}}""";

    [Fact]
    public void A_json_answer_written_in_pieces_reports_its_usage_model_and_provider()
    {
        using var scanner = new UsageScanner(eventStream: false);
        foreach (var piece in Pieces(Answer, 7))
        {
            scanner.Append(piece);
        }

        Assert.Equal(new ChatUsage("gpt-x", "openai", 12, 30, 42), scanner.Complete());
    }

    [Fact]
    public void A_stream_reports_the_last_data_event_with_usage_and_ignores_comments_and_other_fields()
    {
        var stream = """
            : keep-alive
            event: delta
            data: {"model":"m1","provider":"p","delta":"a","usage":{"prompt_tokens":1,"completion_tokens":1}}

            data: {"model":"m1","provider":"p","delta":"b"}

            data: {"model":"m1","provider":"p","usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}

            data: [DONE]

            """.Replace("\n", "\r\n", StringComparison.Ordinal);
        using var scanner = new UsageScanner(eventStream: true);
        foreach (var piece in Pieces(stream, 5))
        {
            scanner.Append(piece);
        }

        Assert.Equal(new ChatUsage("m1", "p", 5, 9, 14), scanner.Complete());
    }

    [Theory]
    [InlineData("""{"usage":{"prompt_tokens":2,"completion_tokens":3}}""", "unknown", "unknown", 2, 3, 5)]
    [InlineData("""{"model":"","provider":7,"usage":{"prompt_tokens":-4,"completion_tokens":"3","total_tokens":-1}}""", "unknown", "unknown", 0, 0, 0)]
    [InlineData("""{"model":"m","usage":{"prompt_tokens":1.5,"completion_tokens":2,"total_tokens":9,"extra":{"a":[1,2]}}}""", "m", "unknown", 0, 2, 9)]
    [InlineData("""{"model":"a\u00e9","usage":{"prompt_tokens":1,"completion_tokens":2}, "tail": [ {"usage": 1} ] }""", "aé", "unknown", 1, 2, 3)]
    public void Counts_and_names_follow_the_rules_for_missing_negative_and_malformed_values(string json, string model, string provider, long prompt, long completion, long total)
        => Assert.Equal(new ChatUsage(model, provider, prompt, completion, total), UsageScanner.Read(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"model":"m"}""")]
    [InlineData("""{"usage":[1,2]}""")]
    [InlineData("""{"usage":{"prompt_tokens":1}""")]
    [InlineData("""{"usage":{"prompt_tokens":1}} trailing""")]
    [InlineData("""[{"usage":{"prompt_tokens":1}}]""")]
    [InlineData("""not json""")]
    [InlineData("")]
    public void Anything_but_one_object_with_a_usage_object_reports_none(string json)
        => Assert.Null(UsageScanner.Read(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void A_name_longer_than_200_characters_is_unknown_and_a_repeated_name_is_the_same_string()
    {
        var tooLong = UsageScanner.Read(Encoding.UTF8.GetBytes("{\"model\":\"" + new string('x', 201) + "\",\"usage\":{}}"));
        var first = UsageScanner.Read(Encoding.UTF8.GetBytes("""{"model":"repeated-model","usage":{}}"""));
        var second = UsageScanner.Read(Encoding.UTF8.GetBytes("""{"model":"repeated-model","usage":{}}"""));

        Assert.Equal("unknown", tooLong!.Model);
        Assert.Same(first!.Model, second!.Model);
    }

    [Fact]
    public void A_json_answer_over_one_mebibyte_reports_none_and_a_long_stream_line_only_loses_that_line()
    {
        using var json = new UsageScanner(eventStream: false);
        json.Append(Encoding.UTF8.GetBytes("""{"usage":{"prompt_tokens":1},"pad":" """));
        json.Append(new byte[1024 * 1024]);
        Assert.Null(json.Complete());

        using var stream = new UsageScanner(eventStream: true);
        stream.Append(Encoding.UTF8.GetBytes("data: {\"pad\":\"" + new string('x', 300 * 1024) + "\",\"usage\":{\"prompt_tokens\":100}}\n"));
        stream.Append(Encoding.UTF8.GetBytes("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n"));
        Assert.Equal(2, stream.Complete()!.TotalTokens);
    }

    [Theory]
    [InlineData("application/json", "Json")]
    [InlineData("Application/JSON; charset=utf-8", "Json")]
    [InlineData("application/vnd.chat+json", "Json")]
    [InlineData("text/event-stream", "EventStream")]
    [InlineData(" text/event-stream ;charset=utf-8", "EventStream")]
    [InlineData("text/html", "None")]
    [InlineData("application/jsonp", "None")]
    [InlineData("", "None")]
    [InlineData(null, "None")]
    public void Only_json_and_event_streams_are_scanned(string? contentType, string format)
        => Assert.Equal(Enum.Parse<UsageFormat>(format), UsageScanner.FormatOf(contentType));

    private static IEnumerable<byte[]> Pieces(string text, int size)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            yield return bytes[offset..Math.Min(bytes.Length, offset + size)];
        }
    }
}
