using System.Text.Json;
using McpGateway.Tools;

namespace McpGateway.Tests.Tools;

public sealed class ToolArgumentsTests
{
    private static readonly JsonElement Schema = ToolAssert.Arguments("""
        {
          "type": "object",
          "properties": {
            "text": { "type": "string", "minLength": 1, "maxLength": 5 },
            "count": { "type": "integer", "minimum": 1, "maximum": 10 },
            "ratio": { "type": "number", "maximum": 1.5 },
            "flag": { "type": "boolean" }
          },
          "required": ["text"],
          "additionalProperties": false
        }
        """);

    [Theory]
    [InlineData("""{"text":"a"}""")]
    [InlineData("""{"text":"abcde","count":10}""")]
    [InlineData("""{"text":"a","count":1.0}""")]
    [InlineData("""{"text":"a","count":1e1}""")]
    [InlineData("""{"text":"a","ratio":-3.25,"flag":false}""")]
    [InlineData("""{"text":"😀😀😀😀😀"}""")]
    public void Arguments_matching_the_schema_pass(string json)
        => Assert.True(Validate(json, out var error), error);

    [Theory]
    [InlineData("""{}""", "Missing required argument 'text'.")]
    [InlineData("""{"count":2}""", "Missing required argument 'text'.")]
    [InlineData("""{"text":5}""", "Argument 'text' must be a string, got a number.")]
    [InlineData("""{"text":null}""", "Argument 'text' must be a string, got null.")]
    [InlineData("""{"text":["a"]}""", "Argument 'text' must be a string, got an array.")]
    [InlineData("""{"text":""}""", "Argument 'text' must not be empty.")]
    [InlineData("""{"text":"abcdef"}""", "Argument 'text' must be from 1 to 5 characters long, got 6.")]
    [InlineData("""{"text":"a","count":"3"}""", "Argument 'count' must be an integer, got a string.")]
    [InlineData("""{"text":"a","count":2.5}""", "Argument 'count' must be an integer, got 2.5.")]
    [InlineData("""{"text":"a","count":0}""", "Argument 'count' must be an integer from 1 to 10, got 0.")]
    [InlineData("""{"text":"a","count":11}""", "Argument 'count' must be an integer from 1 to 10, got 11.")]
    [InlineData("""{"text":"a","count":1e400}""", "Argument 'count' must be an integer, got 1e400.")]
    [InlineData("""{"text":"a","ratio":1.6}""", "Argument 'ratio' must be a number at most 1.5, got 1.6.")]
    [InlineData("""{"text":"a","flag":"yes"}""", "Argument 'flag' must be true or false, got a string.")]
    [InlineData("""{"text":"a","url":"http://example.com"}""", "Unknown argument 'url'; this tool accepts 'text', 'count', 'ratio', 'flag'.")]
    [InlineData("""{"text":"a","text":"b"}""", "Argument 'text' appears more than once.")]
    [InlineData("""[]""", "The arguments must be a JSON object, got an array.")]
    [InlineData("\"text\"", "The arguments must be a JSON object, got a string.")]
    [InlineData("""42""", "The arguments must be a JSON object, got a number.")]
    public void Arguments_not_matching_the_schema_fail_with_a_message_naming_the_argument(string json, string expected)
    {
        Assert.False(Validate(json, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Absent_arguments_count_as_an_empty_object()
    {
        Assert.False(ToolArguments.TryValidate(Schema, default, out _, out var error));
        Assert.Equal("Missing required argument 'text'.", error);

        var optional = ToolAssert.Arguments("""{"type":"object","properties":{"n":{"type":"integer"}}}""");
        Assert.True(ToolArguments.TryValidate(optional, default, out var validated, out _));
        Assert.Null(validated.GetInt32OrNull("n"));
        Assert.True(ToolArguments.TryValidate(optional, ToolAssert.Arguments("null"), out _, out _));
    }

    [Fact]
    public void An_unknown_argument_name_is_echoed_short_and_without_control_characters()
    {
        var name = "evil\u0007\n" + new string('x', 500);

        Assert.False(ToolArguments.TryValidate(Schema, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["text"] = "a", [name] = "b" }), out _, out var error));

        Assert.StartsWith("Unknown argument 'evil??xxx", error, StringComparison.Ordinal);
        Assert.True(error.Length < 200, error);
        Assert.DoesNotContain(error, char.IsControl);
    }

    [Fact]
    public void A_lone_surrogate_escape_is_refused_as_invalid_text()
    {
        Assert.False(Validate("""{"text":"\ud800"}""", out var error));
        Assert.Equal("Argument 'text' is not valid Unicode text.", error);
    }

    [Fact]
    public void Validated_values_are_read_typed()
    {
        Assert.True(ToolArguments.TryValidate(Schema, ToolAssert.Arguments("""{"text":"hi","count":7.0}"""), out var validated, out _));

        Assert.Equal("hi", validated.GetString("text"));
        Assert.Equal(7, validated.GetInt32OrNull("count"));
    }

    [Fact]
    public void Without_additional_properties_false_unknown_arguments_are_ignored()
    {
        var open = ToolAssert.Arguments("""{"type":"object","properties":{"a":{"type":"string"}}}""");

        Assert.True(ToolArguments.TryValidate(open, ToolAssert.Arguments("""{"b":1}"""), out _, out _));
    }

    private static bool Validate(string json, out string? error)
        => ToolArguments.TryValidate(Schema, ToolAssert.Arguments(json), out _, out error);
}
