using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Contexts;

/// <summary>
/// The seed's metadata (<c>timestamp</c>, <c>model</c>, <c>tokens_used</c>) and any other member a client
/// sends, kept as it came.
/// </summary>
internal sealed record ContextMetadata
{
    /// <summary>Set by the gateway (milliseconds since the epoch) when the client sends none.</summary>
    [JsonPropertyName("timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContextTimestamp? Timestamp { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("tokens_used")]
    public long? TokensUsed { get; init; }

    /// <summary>The members the gateway does not know, kept as they came; <see langword="null"/> when there are none.</summary>
    /// <remarks>Settable, not init-only: the serializer cannot fill extension data through its object initializer.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public bool Equals(ContextMetadata? other)
        => other is not null && Timestamp == other.Timestamp && Model == other.Model && TokensUsed == other.TokensUsed && SameJson(Extra, other.Extra);

    public override int GetHashCode() => HashCode.Combine(Timestamp, Model, TokensUsed, Extra?.Count ?? 0);

    private static bool SameJson(Dictionary<string, JsonElement>? left, Dictionary<string, JsonElement>? right)
    {
        if ((left?.Count ?? 0) != (right?.Count ?? 0))
        {
            return false;
        }

        return left is null || left.All(member => right!.TryGetValue(member.Key, out var value) && JsonElement.DeepEquals(member.Value, value));
    }
}
