using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpGateway.Contexts;

/// <summary>
/// The size a context's parts count against their limits: a string is its UTF-8 text (as it always
/// was); any other value its compact JSON text in UTF-8, non-ASCII characters unescaped (what a
/// browser's <c>JSON.stringify</c> makes of it), so a character costs the same inside an object as in a string.
/// </summary>
internal static class JsonSize
{
    // Only measured, never sent: relaxed escaping counts "é" as its two UTF-8 bytes, not as "\u00E9".
    private static readonly JsonWriterOptions Measuring = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static long Of(JsonElement value)
        => value.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetByteCount(value.GetString()!) : Measure(writer => value.WriteTo(writer));

    public static long Of<T>(T value, JsonTypeInfo<T> type) => Measure(writer => JsonSerializer.Serialize(writer, value, type));

    private static long Measure(Action<Utf8JsonWriter> write)
    {
        using var writer = new Utf8JsonWriter(Stream.Null, Measuring);
        write(writer);
        writer.Flush();
        return writer.BytesCommitted;
    }
}
