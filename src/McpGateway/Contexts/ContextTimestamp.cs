using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Contexts;

/// <summary>
/// When a context was made: milliseconds since the Unix epoch (a JSON number, the seed's form and the
/// gateway's default) or an ISO 8601 text (what the demo frontend sends). It is written back in the form
/// it came in, and contexts are ordered by <see cref="Instant"/>.
/// </summary>
[JsonConverter(typeof(ContextTimestampConverter))]
internal readonly record struct ContextTimestamp
{
    private static readonly long MinMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private ContextTimestamp(DateTimeOffset instant, string? text)
    {
        Instant = instant;
        Text = text;
    }

    public DateTimeOffset Instant { get; }

    /// <summary>The ISO 8601 text it came as, or <see langword="null"/> when it is milliseconds since the epoch.</summary>
    public string? Text { get; }

    public static ContextTimestamp FromUnixMilliseconds(long milliseconds) => new(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), null);

    /// <summary>Reads a JSON number of whole milliseconds since the epoch, or an ISO 8601 string.</summary>
    /// <exception cref="JsonException">Anything else, or a time outside the years 1 to 9999.</exception>
    public static ContextTimestamp Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt64(out var milliseconds) && milliseconds >= MinMilliseconds && milliseconds <= MaxMilliseconds
                ? FromUnixMilliseconds(milliseconds)
                : throw new JsonException("metadata.timestamp must be whole milliseconds since the Unix epoch.");
        }

        // The serializer's own ISO 8601 parser, so the text accepted is exactly what a DateTimeOffset accepts.
        return reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var instant)
            ? new ContextTimestamp(instant, reader.GetString())
            : throw new JsonException("metadata.timestamp must be milliseconds since the Unix epoch or an ISO 8601 string.");
    }

    public void Write(Utf8JsonWriter writer)
    {
        if (Text is null)
        {
            writer.WriteNumberValue(Instant.ToUnixTimeMilliseconds());
        }
        else
        {
            // Written raw so that its "+" stays "+" (the default encoder would make it "\u002B"): an ISO 8601
            // text holds nothing JSON needs escaped, and the writer still checks that it is a valid JSON string.
            writer.WriteRawValue("\"" + Text + "\"");
        }
    }
}
