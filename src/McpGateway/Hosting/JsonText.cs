using System.Text.Json;

namespace McpGateway.Hosting;

/// <summary>
/// Whether every string and member name in a JSON text can be read as text. System.Text.Json parses
/// a lone surrogate escape (<c>"\ud800"</c>) or invalid UTF-8 inside a string without complaint and
/// only fails when the string is read, which for a <see cref="System.Text.Json.Nodes.JsonObject"/>
/// member is much later (when it is serialized again): checking up front turns that into a 400.
/// </summary>
internal static class JsonText
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <returns><see langword="false"/> when a string cannot be read, or the text is not JSON under <paramref name="options"/>.</returns>
    public static bool IsReadable(ReadOnlySpan<byte> json, JsonSerializerOptions options)
    {
        if (json.StartsWith(Utf8Bom))
        {
            json = json[Utf8Bom.Length..];
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling,
            MaxDepth = options.MaxDepth,
        });
        try
        {
            while (reader.Read())
            {
                // Plain ASCII without escapes is always readable; anything else is read once to find out.
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                    && (reader.ValueIsEscaped || reader.ValueSpan.ContainsAnyExceptInRange((byte)0x00, (byte)0x7F)))
                {
                    _ = reader.GetString();
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            return false;
        }
    }
}
