using System.Buffers;
using System.Text.Json;

namespace McpGateway.Tools;

/// <summary>Writes a tool's <c>structuredContent</c> object without reflection-based serialization.</summary>
internal static class StructuredContent
{
    public static JsonElement Write(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>A schema literal as the <see cref="JsonElement"/> a <c>Tool</c> definition holds.</summary>
    public static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
