using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Resumable;

/// <summary>How an <see cref="InFlightCall"/> is stored: the browser's id as the JSON it was (a string or a number), and the event id.</summary>
internal static class InFlightCallJson
{
    private static readonly JsonSerializerOptions Options = McpJsonUtilities.DefaultOptions;

    public static byte[] Serialize(InFlightCall call)
        => JsonSerializer.SerializeToUtf8Bytes(new Stored(JsonSerializer.SerializeToElement(call.BrowserId, Options.GetTypeInfo(typeof(RequestId))), call.EventId), InFlightJsonContext.Default.Stored);

    public static InFlightCall? Deserialize(InFlightCallKey key, ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, InFlightJsonContext.Default.Stored) is { EventId.Length: > 0 } stored
                   && stored.BrowserId.Deserialize(Options.GetTypeInfo(typeof(RequestId))) is RequestId browserId
                ? new InFlightCall(key, browserId, stored.EventId)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal sealed record Stored([property: JsonPropertyName("b")] JsonElement BrowserId, [property: JsonPropertyName("e")] string EventId);
}

[JsonSerializable(typeof(InFlightCallJson.Stored))]
internal sealed partial class InFlightJsonContext : JsonSerializerContext;
