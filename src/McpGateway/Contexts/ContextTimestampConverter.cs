using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Contexts;

/// <summary>Reads and writes a <see cref="ContextTimestamp"/> in the form it came in (number or ISO 8601 string).</summary>
internal sealed class ContextTimestampConverter : JsonConverter<ContextTimestamp>
{
    public override ContextTimestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => ContextTimestamp.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, ContextTimestamp value, JsonSerializerOptions options)
        => value.Write(writer);
}
