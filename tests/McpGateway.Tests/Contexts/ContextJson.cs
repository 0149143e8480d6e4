using System.Text.Json;
using McpGateway.Contexts;
using McpGateway.Hosting;

namespace McpGateway.Tests.Contexts;

/// <summary>Contents and timestamps for context tests.</summary>
internal static class ContextJson
{
    public static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value, GatewayJsonContext.Default.String);

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static ContextTimestamp At(DateTimeOffset instant) => ContextTimestamp.FromUnixMilliseconds(instant.ToUnixTimeMilliseconds());
}
