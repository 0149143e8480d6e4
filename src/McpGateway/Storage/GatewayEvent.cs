using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Storage;

/// <summary>
/// Something every replica must hear about: a session ended (its sockets close), a user's
/// conversation context changed (their sockets are told), or an MCP session over HTTP ended.
/// </summary>
internal sealed record GatewayEvent
{
    public const string SessionEnded = "session-ended";
    public const string ContextUpdated = "context-updated";

    /// <summary>A Streamable HTTP MCP session ended for good (DELETE, eviction): every replica drops its copy. <see cref="SessionKey"/> is the MCP session's key.</summary>
    public const string McpSessionEnded = "mcp-session-ended";

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
