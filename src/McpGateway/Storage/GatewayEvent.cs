using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Storage;

/// <summary>
/// Something every replica must hear about: a session ended (its sockets close), or a user's
/// conversation context changed (their sockets are told).
/// </summary>
internal sealed record GatewayEvent
{
    public const string SessionEnded = "session-ended";
    public const string ContextUpdated = "context-updated";

    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>For <see cref="SessionEnded"/>: the ended session's storage key.</summary>
    [JsonPropertyName("session")]
    public string? SessionKey { get; init; }

    /// <summary>For <see cref="ContextUpdated"/>: whose context changed.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>What the sockets are sent (for <see cref="ContextUpdated"/>: the notification's params).</summary>
    [JsonPropertyName("payload")]
    public JsonElement? Payload { get; init; }
}
